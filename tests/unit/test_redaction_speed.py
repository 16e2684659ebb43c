"""Redaction of long text takes time in proportion to its length. Every error detail goes through it, and a
long value quoted back in a config error (`manifest.url`, 100 KB of `a-a-a-...`) took 37 s, a 1 MB one
(the config file limit) would have taken hours: the URL-userinfo pattern tried every word boundary of a run of
scheme characters and scanned the run from each. The linear version must hide exactly what the pattern hid."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from launcher.core import redaction
from launcher.core.redaction import HIDDEN, redact


def _by_the_pattern_alone(text: str) -> str:
    return redaction._URL_USERINFO.sub(redaction._hide_userinfo, text)


# the characters that matter to the pattern, so random text is full of near-URLs
PIECES = st.sampled_from(["a", "B", "z", "1", "+", ".", "-", ":", "/", "://", "@", " ", "\t", '"', "'", "<", ">",
                          "=", "&", "?", "#", "_", "ſ", "K", "İ", "é", "http://", "u:p@", "\u00a0"])


@settings(max_examples=3000, deadline=None)
@given(st.lists(PIECES, max_size=40).map("".join))
def test_the_linear_version_hides_exactly_what_the_pattern_hides(text: str):
    assert redaction._hide_all_userinfo(text) == _by_the_pattern_alone(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("proxy http://jan:tajne@proxy:3128 down", f"proxy http://jan:{HIDDEN}@proxy:3128 down"),
    ("a http://u:p@h b https://v:q@g", f"a http://u:{HIDDEN}@h b https://v:{HIDDEN}@g"),
    ("x-evil.http://u:p@h", f"x-evil.http://u:{HIDDEN}@h"),
    ("mail me: https://host/path?to=jan@example.com", "mail me: https://host/path?to=jan@example.com"),
    ("https://TOKEN@host/x", f"https://{HIDDEN}@host/x"),
])
def test_urls_in_text_are_still_redacted(text: str, expected: str):
    assert redact(text) == expected


@pytest.mark.parametrize("value", [
    "'ftp://x/" + "a-" * 500_000 + "'",  # a config value quoted in CFG-INVALID: one `://`, then a long run
    "a-" * 500_000,  # no `://` at all
    "a://" * 250_000,  # a `://` every four characters and no `@`
    "a://" * 250_000 + "@",  # ... with one `@` at the very end
    "http://" + "u" * 500_000 + ":p@host",  # one long userinfo
])
def test_a_megabyte_is_redacted_in_one_pass(value: str):
    """Quadratic before: each of these took hours. No clock is read: a regression shows as a test that does
    not end."""
    out = redact(value)
    assert len(out) <= len(value) + len(HIDDEN)
    assert ":p@" not in out


def test_a_long_bad_manifest_url_is_refused_promptly(tmp_path):
    from launcher.config import load_config
    from launcher.core.errors import LauncherError

    config = tmp_path / "long.toml"
    config.write_text('[manifest]\nurl = "ftp://x/' + "a-" * 400_000 + '"\n', encoding="utf-8")
    with pytest.raises(LauncherError) as err:
        load_config(config)
    assert err.value.code == "CFG-INVALID" and err.value.detail.startswith("manifest.url must be https://")
    assert re.search(r"'ftp://x/(a-)+'", err.value.detail)
