"""WinVerifyTrust and the launcher's own reading of its result, on files signed by the lane's test PKI.

Under Wine WinVerifyTrust checks only the file's digest (tampered, unsigned); root trust, expiry and the
code-signing EKU it does not check: the tests of WinVerifyTrust alone for those are `wine_gap`, and the
launcher's decision (`chain_refusal` on the chain WinVerifyTrust built) is tested for real.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from launcher.core.errors import LauncherError
from launcher.core.manifest import Artifact
from launcher.core.publisher import check_publisher

TV = "TeamViewer Germany GmbH"


def exe_artifact(path: Path, publisher: str = TV) -> Artifact:
    import hashlib

    data = path.read_bytes()
    return Artifact(platform="windows-x86_64", url="https://127.0.0.1/TeamViewerQS.exe", size=len(data),
                    sha256=hashlib.sha256(data).hexdigest(), version="15.0", kind="exe", publisher=publisher)


@pytest.fixture
def copy_of(signed_dir: Path, tmp_path: Path):
    def make(name: str) -> Path:
        target = tmp_path / name
        shutil.copyfile(signed_dir / name, target)
        return target

    return make


def refused(path: Path, publisher: str = TV, **kwargs) -> str:
    with pytest.raises(LauncherError) as info:
        check_publisher(path, exe_artifact(path, publisher), **kwargs)
    assert info.value.code == "DL-PUBLISHER"
    return info.value.detail


def test_signed_by_the_expected_publisher_passes_winverifytrust(copy_of):
    path = copy_of("tv-signed.exe")
    line = check_publisher(path, exe_artifact(path))
    assert line == f"authenticode (WinVerifyTrust): trusted signature by {TV!r}"
    assert path.is_file()


def test_one_changed_byte_is_refused_with_bad_digest_and_deleted(copy_of):
    path = copy_of("tv-tampered.exe")
    assert "WinVerifyTrust 0x80096010" in refused(path)  # TRUST_E_BAD_DIGEST
    assert not path.exists()


def test_unsigned_file_is_refused_with_no_signature_and_deleted(copy_of):
    path = copy_of("unsigned.exe")
    assert "WinVerifyTrust 0x800B0100" in refused(path)  # TRUST_E_NOSIGNATURE
    assert not path.exists()


def test_valid_signature_by_someone_else_is_refused(copy_of):
    path = copy_of("wrong-signed.exe")
    detail = refused(path)
    assert "'Someone Else GmbH' is not 'TeamViewer Germany GmbH'" in detail
    assert not path.exists()


def test_signer_name_must_match_exactly_not_as_a_part(copy_of):
    path = copy_of("tv-signed.exe")
    assert "is not 'TeamViewer'" in refused(path, publisher="TeamViewer")


def test_verify_of_an_operators_file_keeps_it_when_refused(copy_of):
    path = copy_of("unsigned.exe")
    refused(path, delete_on_failure=False)
    assert path.is_file()


def test_signer_under_an_untrusted_root_is_refused_by_the_launcher(copy_of):
    path = copy_of("rogue-root.exe")
    assert "root that is not trusted" in refused(path)
    assert not path.exists()


def test_self_signed_signer_is_refused_by_the_launcher(copy_of):
    assert "root that is not trusted" in refused(copy_of("self-signed.exe"))


def test_expired_signer_without_time_stamp_is_refused_by_the_launcher(copy_of):
    assert "expired or not yet valid" in refused(copy_of("expired.exe"))


def test_signer_without_code_signing_usage_is_refused_by_the_launcher(copy_of):
    assert "not allowed to sign code" in refused(copy_of("no-codesign-eku.exe"))


def test_the_lanes_test_root_is_trusted_by_windows_chain_building(signed_dir):
    """The lane added its root with CertAddEncodedCertificateToSystemStoreW("Root"): a chain to it is clean."""
    from tests.windows.winapi import winverifytrust_chain_status

    status, chain_error = winverifytrust_chain_status(signed_dir / "tv-signed.exe")
    assert (status, chain_error) == (0, 0)
    status, chain_error = winverifytrust_chain_status(signed_dir / "rogue-root.exe")
    assert chain_error & 0x20  # CERT_TRUST_IS_UNTRUSTED_ROOT, reported though WinVerifyTrust said yes


@pytest.mark.wine_gap("WinVerifyTrust does not check that the root is trusted")
@pytest.mark.parametrize("name", ["rogue-root.exe", "self-signed.exe"])
def test_winverifytrust_alone_refuses_an_untrusted_root(signed_dir, name):
    from tests.windows.winapi import winverifytrust_chain_status

    assert winverifytrust_chain_status(signed_dir / name)[0] == 0x800B0109  # CERT_E_UNTRUSTEDROOT


@pytest.mark.wine_gap("WinVerifyTrust does not check validity dates")
def test_winverifytrust_alone_refuses_an_expired_signer(signed_dir):
    from tests.windows.winapi import winverifytrust_chain_status

    assert winverifytrust_chain_status(signed_dir / "expired.exe")[0] == 0x800B0101  # CERT_E_EXPIRED


@pytest.mark.wine_gap("WinVerifyTrust does not check the code-signing extended key usage")
def test_winverifytrust_alone_refuses_a_signer_not_for_code_signing(signed_dir):
    from tests.windows.winapi import winverifytrust_chain_status

    assert winverifytrust_chain_status(signed_dir / "no-codesign-eku.exe")[0] == 0x800B0110  # CERT_E_WRONG_USAGE


class _Crypt32Failing:
    """crypt32 whose CertGetEnhancedKeyUsage fails with `error` (what Windows does when it cannot read the
    extension, out of memory or a damaged one, cannot be brought about with a real certificate)."""

    def __init__(self, error: int) -> None:
        import ctypes

        def get(*args) -> int:  # a plain function: the caller sets its argtypes and restype, as on ctypes'
            # ctypes keeps the error as a C int: HRESULTs above 0x7FFFFFFF go in as their negative twins
            ctypes.set_last_error(error - (1 << 32) if error >= 1 << 31 else error)  # type: ignore[attr-defined]
            return 0

        self.CertGetEnhancedKeyUsage = get  # noqa: N815 - the Windows API's name


def test_a_signer_without_a_key_usage_extension_is_good_for_every_use():
    from launcher.core.publisher import CRYPT_E_NOT_FOUND, _signer_ekus

    assert _signer_ekus(_Crypt32Failing(CRYPT_E_NOT_FOUND), 0) is None


def test_a_key_usage_windows_cannot_read_refuses_the_signer_instead_of_allowing_every_use():
    from launcher.core.publisher import _signer_ekus

    with pytest.raises(LauncherError) as err:
        _signer_ekus(_Crypt32Failing(0x8007000E), 0)  # E_OUTOFMEMORY
    assert err.value.code == "DL-PUBLISHER"
    assert "0x8007000E" in err.value.detail
