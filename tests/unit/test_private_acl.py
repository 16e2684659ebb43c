"""The private access list's text (launcher/core/private_acl.py), which every OS can check: the SDDL the launcher
sets on its Windows folders, how it recognises a list that is already exactly that one, which owners it trusts;
and the POSIX side of make_private_dir (0700), unchanged. The Windows calls themselves run in the Windows lane
(tests/windows/test_private_acl_windows.py)."""

from __future__ import annotations

import os
import stat
import sys

import pytest

from launcher.core.paths import _missing, make_private_dir
from launcher.core.private_acl import dacl_is_private, is_within, owner_is_trusted, private_dacl_sddl

USER = "S-1-5-21-1004336348-1177238915-682003330-1001"
OTHER = "S-1-5-21-1004336348-1177238915-682003330-1002"


def test_the_list_is_protected_and_names_the_user_system_and_administrators_with_inheritance():
    assert private_dacl_sddl(USER) == f"D:P(A;OICI;FA;;;{USER})(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)"


@pytest.mark.parametrize("bad", ["", "SY", "S-1-5-21-1)(A;OICI;FA;;;WD", "S-1", "s-1-5-18", f"{USER} "])
def test_anything_but_a_sid_is_refused_so_no_entry_can_be_smuggled_into_the_list(bad):
    with pytest.raises(ValueError, match="not a SID"):
        private_dacl_sddl(bad)


@pytest.mark.parametrize("sddl", [
    f"D:P(A;OICI;FA;;;{USER})(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)",
    f"O:{USER}D:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;FA;;;{USER})",  # as Windows reads it back
    f"D:PAI(A;OICI;FA;;;{USER})(A;OICI;FA;;;S-1-5-18)(A;OICI;FA;;;S-1-5-32-544)",
])
def test_a_list_that_is_already_private_is_recognised(sddl):
    assert dacl_is_private(sddl, USER)


@pytest.mark.parametrize("sddl", [
    "",
    f"D:(A;OICI;FA;;;{USER})(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)",  # not protected: what is above still counts
    f"D:AI(A;OICIID;FA;;;{USER})(A;OICIID;FA;;;SY)(A;OICIID;FA;;;BA)",  # inherited entries (a subfolder)
    f"D:P(A;OICI;FA;;;{USER})(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1301bf;;;AU)",  # authenticated users
    f"D:P(A;OICI;FA;;;{USER})(A;OICI;FA;;;SY)",  # one missing: redone (harmless)
    f"D:P(A;OICI;FA;;;{OTHER})(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)",  # someone else's
    f"D:P(A;;FA;;;{USER})(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)",  # not inherited by what is made inside
    f"D:P(A;OICI;FA;;;{USER})(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;FA;;;{USER})",  # a duplicate
    f"D:P(D;OICI;FA;;;{USER})(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)",  # a deny entry
    "D:P(A;OICI;FA;;;WD)",
    f"D:NO_ACCESS_CONTROL(A;OICI;FA;;;{USER})",
])
def test_any_other_list_is_not_taken_for_private(sddl):
    assert not dacl_is_private(sddl, USER)


def test_the_owners_trusted_are_those_the_list_already_trusts():
    assert owner_is_trusted(USER, USER)
    assert owner_is_trusted("S-1-5-32-544", USER)  # what an elevated process makes belongs to Administrators
    assert owner_is_trusted("S-1-5-18", USER)
    assert not owner_is_trusted(OTHER, USER)
    assert not owner_is_trusted("S-1-1-0", USER)  # Everyone
    assert not owner_is_trusted("S-1-5-32-545", USER)  # Users


def test_within_a_folder_means_the_folder_or_inside_it_not_a_name_that_starts_alike(tmp_path):
    profile = tmp_path / "Jan"
    (profile / "AppData").mkdir(parents=True)
    (tmp_path / "Janina").mkdir()
    assert is_within(profile, profile)
    assert is_within(profile / "AppData" / "Local" / "Overmax", profile)
    assert not is_within(tmp_path / "Janina" / "dane", profile)
    assert not is_within(tmp_path, profile)


@pytest.mark.skipif(not hasattr(os, "symlink") or sys.platform == "win32", reason="POSIX links")
def test_within_follows_links_so_a_link_in_the_profile_to_elsewhere_is_not_within(tmp_path):
    profile, elsewhere = tmp_path / "Jan", tmp_path / "shared"
    profile.mkdir()
    elsewhere.mkdir()
    (profile / "dane").symlink_to(elsewhere)
    assert not is_within(profile / "dane", profile)


def test_the_folders_mkdir_makes_are_named_outermost_first(tmp_path):
    (tmp_path / "a").mkdir()
    assert _missing(tmp_path / "a" / "b" / "c") == [tmp_path / "a" / "b", tmp_path / "a" / "b" / "c"]
    assert _missing(tmp_path / "a") == []


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_on_posix_the_folder_is_0700_and_an_existing_open_one_is_closed(tmp_path):
    made = make_private_dir(tmp_path / "nowy" / "dane")
    assert stat.S_IMODE(made.stat().st_mode) == 0o700
    existing = tmp_path / "istniejący"
    existing.mkdir(mode=0o777)
    os.chmod(existing, 0o777)
    make_private_dir(existing, check=True)
    assert stat.S_IMODE(existing.stat().st_mode) == 0o700
    assert list(existing.iterdir()) == []  # the check's file is gone
