"""Vendor release tool: key pairs, signed QuickSupport manifests, verification. See README-release.md.

    python installer/release_tool.py keygen [--out DIR]
    python installer/release_tool.py build --artifact windows-x86_64=TeamViewerQS.exe:https://...:15.61.3 \\
        --serial 8 --expires 30d --key ~/.../manifest-signing.key --out dist/manifest \\
        [--consultants roster.tsv] [--min-launcher 0.2.0 --launcher-url https://...] \\
        [--min-version windows-x86_64=15.50]
    python installer/release_tool.py verify --manifest manifest.json --sig manifest.json.sig --pubkey B64
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

if __package__ in (None, ""):  # run as a script from a checkout
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from launcher.core.errors import LauncherError  # noqa: E402
from launcher.core.manifest import KIND_FOR_OS, PLATFORM_KEYS, verify_and_parse  # noqa: E402
from launcher.core.manifest_signing import (  # noqa: E402
    artifact_entry,
    build_manifest,
    generate_keypair,
    public_key_of,
    sign,
)
from launcher.core.publisher import osslsigncode_check  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DEFAULT_KEY_DIR = Path.home() / ".config" / "overmax-release-keys"
DEFAULTS = {"publisher": "TeamViewer Germany GmbH", "team_id": "H7UGFBUGV6", "entry": "teamviewerqs/teamviewer"}


def _inside_repo(path: Path) -> bool:
    try:
        path.resolve().relative_to(REPO)
        return True
    except ValueError:
        return False


def key_id(public_b64: str) -> str:
    return hashlib.sha256(public_b64.encode()).hexdigest()[:8]


def cmd_keygen(args: argparse.Namespace) -> int:
    out = Path(args.out).expanduser()
    if _inside_repo(out) and not args.allow_inside_repo:
        print(f"refusing to write a private key inside the repository ({out}); use --out elsewhere",
              file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True, mode=0o700)
    private, public = generate_keypair()
    path = out / f"manifest-signing-{datetime.now(UTC):%Y%m%d}-{key_id(public)}.key"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(private + "\n")
    print(f"private key: {path} (mode 0600; keep it offline, never commit it)")
    print(f"public key:  {public}")
    print("add to resources/config.toml [manifest] (keep the old key there while rotating):")
    print(f'public_keys = ["{public}"]')
    return 0


_ARTIFACT_RE = re.compile(r"^(?P<platform>[a-z0-9_-]+)=(?P<file>.+?):(?P<url>https?://.+):(?P<version>[^:/]+)$")


def parse_artifact_arg(text: str) -> tuple[str, Path, str, str]:
    """PLATFORM=FILE:URL:VERSION (the URL may contain ':'; the version may not)."""
    match = _ARTIFACT_RE.match(text)
    if not match:
        raise argparse.ArgumentTypeError(f"expected PLATFORM=FILE:URL:VERSION, got {text!r}")
    platform = match["platform"]
    if platform not in PLATFORM_KEYS:
        raise argparse.ArgumentTypeError(f"unknown platform {platform!r}; one of {', '.join(PLATFORM_KEYS)}")
    return platform, Path(match["file"]).expanduser(), match["url"], match["version"]


def parse_expires(text: str, now: datetime | None = None) -> datetime:
    """'30d' (days from now) or an ISO 8601 time ('2027-01-31T00:00:00Z', '2027-01-31')."""
    now = now or datetime.now(UTC)
    if re.fullmatch(r"\d+d", text):
        return now + timedelta(days=int(text[:-1]))
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


_ROSTER_LINE = re.compile(r"^(?P<tv_id>[0-9 ]{9,13}?)\s*[\t;,]\s*(?P<name>\S.*?)\s*$")


def read_roster(path: Path) -> list[dict[str, str]]:
    """The consultants file: one `TEAMVIEWER_ID<TAB, ; or ,>Name` per line (the ID may be grouped with
    spaces as TeamViewer shows it); blank lines and `#` comments are skipped. ValueError names the bad line."""
    roster: list[dict[str, str]] = []
    for number, raw in enumerate(path.read_text("utf-8-sig").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _ROSTER_LINE.match(line)
        tv_id = match["tv_id"].replace(" ", "") if match else ""
        if not match or not tv_id.isdigit() or len(tv_id) not in (9, 10):
            raise ValueError(f"{path}:{number}: expected 'TEAMVIEWER_ID<TAB>Name', got {raw!r}")
        roster.append({"tv_id": tv_id, "name": match["name"]})
    return roster


def _min_version_arg(text: str) -> tuple[str, str]:
    platform, sep, version = text.partition("=")
    if not sep or platform not in PLATFORM_KEYS or not version:
        raise argparse.ArgumentTypeError(f"expected PLATFORM=VERSION, got {text!r}")
    return platform, version


def _read_private(path: Path) -> str:
    mode = path.stat().st_mode & 0o777
    if sys.platform != "win32" and mode & 0o077:
        print(f"warning: {path} is readable by others (mode {mode:o}); chmod 600 it", file=sys.stderr)
    return path.read_text().strip()


def check_authenticode(file: Path, args: argparse.Namespace) -> int:
    """Check the exe's Authenticode signer before it goes into a manifest: osslsigncode where it is
    installed (any OS), else on Windows WinVerifyTrust, exactly as the launcher checks it on a customer's
    computer. 0 when it passes (or is skipped on request), 1 refused, 2 no way to check."""
    try:
        if shutil.which(args.osslsigncode) is not None:
            ca = Path(args.ca_file) if args.ca_file else None
            print(osslsigncode_check(file, args.publisher, ca_file=ca, tool=args.osslsigncode))
            return 0
        if sys.platform == "win32":
            from launcher.core.publisher import winverifytrust_check

            print(winverifytrust_check(file, args.publisher))
            return 0
    except LauncherError as exc:
        print(f"refusing to sign: {exc.detail}", file=sys.stderr)
        return 1
    if not args.skip_authenticode:
        print("osslsigncode is not installed: cannot check the Authenticode signer "
              "(install it, or pass --skip-authenticode and check on Windows)", file=sys.stderr)
        return 2
    print(f"warning: Authenticode signer of {file} NOT checked", file=sys.stderr)
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    expires = parse_expires(args.expires)
    if expires <= datetime.now(UTC):
        print("--expires is in the past", file=sys.stderr)
        return 2
    name = args.name
    if not name or "/" in name or "\\" in name or name in (".", ".."):
        print(f"--name {name!r}: a file name, such as the last part of manifest.url", file=sys.stderr)
        return 2
    previous = [Path(p).expanduser() for p in (args.previous or [])] + [Path(args.out) / name]
    try:
        highest = highest_published_serial(previous)
    except ValueError as exc:
        print(f"--previous: {exc}", file=sys.stderr)
        return 2
    if highest is not None and args.serial <= highest[0]:
        # the same serial re-signed would let the old manifest (an old roster) be replayed beside the new one
        print(f"--serial {args.serial} is not higher than serial {highest[0]} in {highest[1]}: launchers that "
              f"saw that one would keep accepting it (and its roster) until it expires", file=sys.stderr)
        return 2
    private = _read_private(Path(args.key).expanduser())
    consultants = None
    if args.consultants:
        try:
            consultants = read_roster(Path(args.consultants).expanduser())
        except (OSError, ValueError) as exc:
            print(f"consultants: {exc}", file=sys.stderr)
            return 2
    min_versions = dict(args.min_version or [])
    artifacts: dict[str, dict] = {}
    for platform, file, url, version in args.artifact:
        if platform in artifacts:
            print(f"{platform} given twice", file=sys.stderr)
            return 2
        if not file.is_file():
            print(f"{file}: not a file", file=sys.stderr)
            return 2
        kind = KIND_FOR_OS[platform.split("-", 1)[0]]
        extra = {"exe": {"publisher": args.publisher}, "dmg": {"team_id": args.team_id},
                 "tar.gz": {"entry": args.entry}}[kind]
        if kind == "exe":
            status = check_authenticode(file, args)
            if status:
                return status
        artifacts[platform] = artifact_entry(file, platform=platform, url=url, version=version, kind=kind,
                                             min_version=min_versions.get(platform, ""), **extra)
    if set(min_versions) - set(artifacts):
        print(f"--min-version for platforms without --artifact: {sorted(set(min_versions) - set(artifacts))}",
              file=sys.stderr)
        return 2
    try:
        data = build_manifest(artifacts, serial=args.serial, expires=expires, consultants=consultants,
                              min_launcher=args.min_launcher, launcher_url=args.launcher_url)
    except LauncherError as exc:
        print(f"invalid manifest: {exc.detail}", file=sys.stderr)
        return 1
    signature = sign(data, private)
    verify_and_parse(data, signature, [public_key_of(private)])  # self-check before anything is written
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / name).write_bytes(data)
    (out / (name + ".sig")).write_bytes(signature)
    roster = "no roster" if consultants is None else f"{len(consultants)} consultant(s)"
    print(f"wrote {out / name} and .sig: serial {args.serial}, expires {expires.isoformat()}, "
          f"key {key_id(public_key_of(private))}, platforms {', '.join(sorted(artifacts))}, {roster}")
    builtin_url = builtin_manifest_url()
    expected = builtin_url.rsplit("/", 1)[-1]
    if expected and expected != name:
        # the launchers ask for the built-in manifest.url: uploaded under another name, every customer fails
        print(f"note: the built-in manifest.url is {builtin_url}: upload {name} as {expected} and {name}.sig as "
              f"{expected}.sig (or build with --name {expected})")
    return 0


def builtin_manifest_url() -> str:
    """`manifest.url` of resources/config.toml (what every launcher asks for unless its config says otherwise);
    "" where it cannot be read."""
    try:
        from launcher.config import load_config

        return load_config().manifest.url
    except (LauncherError, OSError):
        return ""


def highest_published_serial(manifests: list[Path]) -> tuple[int, Path] | None:
    """(serial, file) of the highest serial among the manifest files that exist (the last published ones:
    `--previous`, and what `--out` already holds); None when none exists. Read without a signature check:
    the vendor's own files, and only a floor. Raises ValueError for a file that is not a manifest."""
    import json

    best: tuple[int, Path] | None = None
    for path in manifests:
        try:
            serial = json.loads(path.read_bytes())["serial"]
        except FileNotFoundError:
            continue
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}: not a readable manifest ({type(exc).__name__}: {exc})") from exc
        if not isinstance(serial, int) or isinstance(serial, bool):
            raise ValueError(f"{path}: serial is {serial!r}")
        if best is None or serial > best[0]:
            best = (serial, path)
    return best


def cmd_verify(args: argparse.Namespace) -> int:
    data = Path(args.manifest).read_bytes()
    sig = Path(args.sig).read_bytes()
    try:
        manifest = verify_and_parse(data, sig, args.pubkey)
    except LauncherError as exc:
        print(f"ERROR {exc.code}: {exc.detail}", file=sys.stderr)
        return 1
    print(f"OK serial {manifest.serial}, expires {manifest.expires.isoformat()}")
    if manifest.min_launcher:
        print(f"  min_launcher {manifest.min_launcher} ({manifest.launcher_url or 'no launcher_url'})")
    if manifest.consultants is not None:
        print(f"  consultants: {len(manifest.consultants)}")
        for c in manifest.consultants:
            print(f"    {c.tv_id}  {c.name}")
    for key, art in sorted(manifest.artifacts.items()):
        print(f"  {key}: {art.kind} {art.version} {art.size} bytes sha256 {art.sha256} {art.url}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="release_tool", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    keygen = sub.add_parser("keygen", help="make an Ed25519 key pair")
    keygen.add_argument("--out", default=str(DEFAULT_KEY_DIR), help=f"folder for the private key ({DEFAULT_KEY_DIR})")
    keygen.add_argument("--allow-inside-repo", action="store_true", help=argparse.SUPPRESS)
    keygen.set_defaults(func=cmd_keygen)
    build = sub.add_parser("build", help="build and sign manifest.json + manifest.json.sig (see --name)")
    build.add_argument("--artifact", action="append", required=True, type=parse_artifact_arg,
                       metavar="PLATFORM=FILE:URL:VERSION")
    build.add_argument("--serial", type=int, required=True, help="must be higher than the last published one")
    build.add_argument("--previous", action="append", metavar="MANIFEST",
                       help="the last published manifest.json (repeatable; --out's own is always read): "
                            "--serial must be higher than its serial")
    build.add_argument("--expires", required=True, help="'30d' or an ISO 8601 time")
    build.add_argument("--key", required=True, help="private key file from keygen")
    build.add_argument("--out", required=True)
    build.add_argument("--name", default="manifest.json",
                       help="the manifest's file name (its signature: NAME.sig); upload them under the last part "
                            "of manifest.url (the built-in: quicksupport.json)")
    build.add_argument("--publisher", default=DEFAULTS["publisher"])
    build.add_argument("--team-id", default=DEFAULTS["team_id"])
    build.add_argument("--entry", default=DEFAULTS["entry"])
    build.add_argument("--consultants", help="roster file: one 'TEAMVIEWER_ID<TAB>Name' per line")
    build.add_argument("--min-launcher", default="", help="older launchers stop with APP-OUTDATED")
    build.add_argument("--launcher-url", default="", help="https address of the current launcher")
    build.add_argument("--min-version", action="append", type=_min_version_arg, metavar="PLATFORM=VERSION",
                       help="oldest QuickSupport build allowed on that platform (repeatable)")
    build.add_argument("--ca-file", help="CA bundle for the Authenticode check (default: osslsigncode's)")
    build.add_argument("--osslsigncode", default="osslsigncode")
    build.add_argument("--skip-authenticode", action="store_true",
                       help="sign even where no Authenticode check is possible (no osslsigncode, not Windows)")
    build.set_defaults(func=cmd_build)
    verify = sub.add_parser("verify", help="verify a manifest and its signature")
    verify.add_argument("--manifest", required=True)
    verify.add_argument("--sig", required=True)
    verify.add_argument("--pubkey", action="append", required=True, help="base64 public key (repeatable)")
    verify.set_defaults(func=cmd_verify)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
