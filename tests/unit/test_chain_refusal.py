"""The launcher's own reading of the chain WinVerifyTrust built (pure logic; the real calls run in
tests/windows under Wine)."""

from __future__ import annotations

from launcher.core.publisher import ANY_EKU, CODE_SIGNING_EKU, chain_refusal


def test_a_clean_chain_and_a_code_signing_signer_pass():
    assert chain_refusal(0, [CODE_SIGNING_EKU]) == ""
    assert chain_refusal(0, None) == ""  # no EKU extension: valid for every use
    assert chain_refusal(0, [ANY_EKU]) == ""


def test_revocation_that_could_not_be_checked_is_left_to_winverifytrust():
    assert chain_refusal(0x40 | 0x01000000, [CODE_SIGNING_EKU]) == ""


def test_each_chain_error_refuses():
    assert "not trusted" in chain_refusal(0x20, None)
    assert "expired" in chain_refusal(0x1, None)
    assert "revoked" in chain_refusal(0x4, None)
    assert "does not reach a root" in chain_refusal(0x10000, None)
    assert "0x00800000" in chain_refusal(0x00800000, None)  # an unknown bit is never ignored


def test_a_signer_only_for_tls_servers_is_refused():
    assert "not allowed to sign code" in chain_refusal(0, ["1.3.6.1.5.5.7.3.1"])


def test_several_reasons_are_all_named():
    why = chain_refusal(0x20 | 0x1, ["1.3.6.1.5.5.7.3.1"])
    assert "not trusted" in why and "expired" in why and "sign code" in why


def test_a_revocation_check_that_got_no_answer_is_told_apart_from_a_refusal():
    """Behind a firewall or a proxy that blocks the certificate authority's servers WinVerifyTrust answers "could
    not check revocation": the file is checked again without it (publisher._winverifytrust_signer_cn) instead of
    being refused as not TeamViewer's and deleted. A revoked certificate, or any other answer, is not that."""
    from launcher.core.publisher import revocation_unchecked

    for status in (0x800B010E, 0x80092013, 0x80092012):  # REVOCATION_FAILURE, REVOCATION_OFFLINE, NO_REVOCATION_CHECK
        assert revocation_unchecked(status)
        assert revocation_unchecked(status - (1 << 32))  # as the LONG WinVerifyTrust returns
    for status in (0, 0x800B010C, 0x800B0100, 0x80096010, 0x800B0109, 0x800B0101):  # ok, REVOKED, NO_SIGNATURE,
        assert not revocation_unchecked(status)  # BAD_DIGEST, UNTRUSTEDROOT, EXPIRED
