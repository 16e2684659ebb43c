"""The one redaction every output goes through: log records, error details, doctor/fetch lines, the report.

Hidden, whatever characters they hold (`@`, `/`, `#`, `%`-encoded): registered secrets (the TeamViewer
password, a configured proxy's password) in their plain, URL-encoded and form-encoded spellings; the
userinfo password of any URL (everything between `user:` and the last `@` before the host, since
passwords with `@`, `/` or `#` are written unencoded); a bare-token userinfo (`https://TOKEN@host`);
credential-like parameters (`token=`, `password=`, `sig=` ...) up to the next `&` or blank; and
`Authorization:`/`Proxy-Authorization:` header values. No imports beyond the standard library, so
errors.py and the first window can use it.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_left
from collections.abc import Iterable
from urllib.parse import quote, quote_plus, unquote, urlsplit

HIDDEN = "[UKRYTE]"
# a URL password shorter than this is not registered (it would blank every such letter in the logs); inside
# a URL it is hidden all the same
MIN_URL_SECRET = 4

_lock = threading.Lock()
_secrets: set[str] = set()


def register_secret(secret: str) -> None:
    """From now on `secret` (in every spelling) is hidden by every redact() call, so in every output."""
    if secret and secret.strip():
        with _lock:
            _secrets.add(secret.strip())


def forget_secret(secret: str) -> None:
    with _lock:
        _secrets.discard(secret.strip() if secret else secret)


def current_secrets() -> list[str]:
    with _lock:
        return list(_secrets)


def register_url_secrets(url: str) -> None:
    """Register the password (or bare token) a URL such as a proxy URL carries; a proxy written without a
    scheme (`jan:pass@proxy:3128`) is read as http://, as requests reads it."""
    url = (url or "").strip()
    if "@" in url and "://" not in url:
        url = f"http://{url}"
    for secret in url_secrets(url):
        if len(secret) >= MIN_URL_SECRET:
            register_secret(secret)

# `scheme://` then userinfo up to the last `@` of this URL-ish token (no blanks or quotes), then the host
_URL_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)([^\s\"'<>@]*@)+")
# name=value where the name looks like a credential: token=, access_token=, key=, sig=, X-Amz-Signature=
_TOKEN_PARAM = re.compile(
    r"(?i)(?<![\w.-])([\w.-]*?(?:token|key|sig|signature|secret|password|passwd|passphrase|pwd|credential)(?:\s*=|\"\s*:)\s*)"
    r"(\"[^\"]*\"|'[^']*'|[^&\s\"'<>,;]+)"
)
_AUTH_HEADER = re.compile(r"(?i)\b((?:proxy-)?authorization\s*[:=]\s*(?:basic|bearer|digest|negotiate|ntlm)?\s*)"
                          r"([^\s\"',;]+)")


_SCHEME_CHAR = re.compile(r"(?i)[a-z0-9+.-]")  # the scheme's characters, exactly as _URL_USERINFO reads them
_SCHEME_START = re.compile(r"(?i)\b[a-z]")
_USERINFO_STOP = re.compile(r"[\s\"'<>]")  # what ends a userinfo in _URL_USERINFO


def _hide_all_userinfo(text: str) -> str:
    """`_URL_USERINFO.sub(_hide_userinfo, text)`, in linear time. The regex alone starts at every word boundary
    of a long run of scheme characters (`a-a-a-...`, a long value quoted in a config error) and scans the run
    from each, and after each `://` scans to the next blank looking for `@`: quadratic, minutes for a value of
    100 KB. Here each `://` is looked at once: the regex is tried only at the leftmost place its scheme could
    start (where re.sub's left-to-right scan finds it: every start in one run reaches the same `://`) and only
    when an `@` comes before the next character that ends a userinfo."""
    if "://" not in text:
        return text
    ats = [m.start() for m in re.finditer("@", text)]
    stops = [m.start() for m in _USERINFO_STOP.finditer(text)]
    out: list[str] = []
    done = 0  # everything before this is settled: copied as it is, or replaced
    for sep in re.finditer("://", text):
        end = sep.start()
        if end < done:
            continue
        first_at = bisect_left(ats, end + 3)
        next_stop = bisect_left(stops, end + 3)
        if first_at == len(ats) or (next_stop < len(stops) and stops[next_stop] < ats[first_at]):
            continue  # no userinfo after this `://`
        start = end
        while start > done and _SCHEME_CHAR.match(text, start - 1):
            start -= 1
        begin = next((i for i in range(start, end) if _SCHEME_START.match(text, i)), None)
        match = _URL_USERINFO.match(text, begin) if begin is not None else None
        if match is None:
            continue
        out += [text[done:begin], _hide_userinfo(match)]
        done = match.end()
    out.append(text[done:])
    return "".join(out)


def _hide_userinfo(m: re.Match[str]) -> str:
    scheme, userinfo = m.group(1), m.group(0)[len(m.group(1)):-1]
    user, colon, _password = userinfo.partition(":")
    if not colon:
        if re.search(r"[/?#=&]", userinfo):
            return m.group(0)  # an `@` in a path or query (e-mail address), not userinfo
        return f"{scheme}{HIDDEN}@"  # a bare token as the user name
    return f"{scheme}{user}:{HIDDEN}@"


def spellings(secret: str) -> set[str]:
    """`secret` as it may appear in text: plain, URL-encoded, form-encoded, and decoded if it was encoded."""
    secret = secret.strip()
    if not secret:
        return set()
    forms = {secret, quote(secret, safe=""), quote_plus(secret, safe=""), unquote(secret)}
    return {f for f in forms if f.strip()}


def url_secrets(url: str) -> list[str]:
    """The secrets a URL carries (its userinfo password, or a bare-token user name), in every spelling."""
    m = _URL_USERINFO.search(url or "")
    if m is None:
        try:
            password = urlsplit(url).password
        except ValueError:
            password = None
        return sorted(spellings(password or ""))
    userinfo = m.group(0)[len(m.group(1)):-1]
    user, colon, password = userinfo.partition(":")
    return sorted(spellings(password if colon else user))


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with every registered secret and every one in `secrets` (any case, any spelling), URL
    passwords, credential parameters and authorization header values replaced by HIDDEN."""
    if not text:
        return text
    unique: set[str] = set()
    for secret in [*secrets, *current_secrets()]:
        if secret and secret.strip():
            unique |= spellings(secret)
    for secret in sorted(unique, key=len, reverse=True):  # longest first: a secret inside another
        text = re.sub(re.escape(secret), HIDDEN, text, flags=re.IGNORECASE)
    text = _TOKEN_PARAM.sub(lambda m: m.group(0) if m.group(2) == HIDDEN else m.group(1) + HIDDEN, text)
    text = _AUTH_HEADER.sub(lambda m: m.group(1) + HIDDEN, text)
    return _hide_all_userinfo(text)
