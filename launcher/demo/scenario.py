"""What the --demo QuickSupport stand-ins play: option names and the demo's people, shared by both stand-ins.

The Linux stand-in (`launcher/demo/standin.py`) and the Windows one (`launcher/demo/windows/standin.c`,
a real PE program) take the same options as environment variables, which the launcher's child
inherits. The C source repeats the defaults below (a test reads them from it and compares).
"""

from __future__ import annotations

# environment variables (see the comment at the top of launcher/demo/windows/standin.c for the values)
ENV_ID = "OVERMAX_DEMO_ID"                      # this computer's TeamViewer ID, 9-10 digits
ENV_SCENARIO = "OVERMAX_DEMO_SCENARIO"          # one of SCENARIOS
ENV_JOIN_WORDING = "OVERMAX_DEMO_JOIN_WORDING"  # one of JOIN_WORDINGS
ENV_SUPPORTER_ID = "OVERMAX_DEMO_SUPPORTER_ID"  # the joining supporter's TeamViewer ID
ENV_SUPPORTER_NAME = "OVERMAX_DEMO_SUPPORTER_NAME"
ENV_JOIN_AFTER = "OVERMAX_DEMO_JOIN_AFTER"      # seconds from start; < 0: nobody joins
ENV_LEAVE_AFTER = "OVERMAX_DEMO_LEAVE_AFTER"    # seconds from start; < 0: never leaves
ENV_IGNORE_CLOSE = "OVERMAX_DEMO_IGNORE_CLOSE"  # "1": polite requests to close are ignored
ENV_BREAKAWAY = "OVERMAX_DEMO_BREAKAWAY"        # job | detach | both | none: a helper leaves the tree
ENV_SLOW_LOG = "OVERMAX_DEMO_SLOW_LOG"          # ms between 7-byte pieces of each log line
ENV_LOG_ENCODING = "OVERMAX_DEMO_LOG_ENCODING"  # one of LOG_ENCODINGS
ENV_MAX_SECONDS = "OVERMAX_DEMO_MAX_SECONDS"    # every stand-in process ends by itself after this
ENV_PASSWORD = "OVERMAX_DEMO_PASSWORD"          # the password a stand-in with a window shows
ENV_VERSION = "OVERMAX_DEMO_VERSION"            # the build its log header names (VERSION_RE), or VERSION_NONE

SCENARIOS = ("consultant", "files", "impostor", "unidentified", "nobody")  # as the Linux stand-in's
JOIN_WORDINGS = ("both", "add", "role")
LOG_ENCODINGS = ("utf-8", "utf-16le", "cp1250")
BREAKAWAY_MODES = ("job", "detach", "both", "none")

# the consultant on the demo manifest's roster (the Linux stand-in's DEMO_CONSULTANT_ID; the Windows
# stand-in gives them a name with Polish letters), and someone who is not on it (its IMPOSTOR_*)
CONSULTANT_ID = "1987654320"
CONSULTANT_NAME = "Łukasz Żółć"
IMPOSTOR_ID = "1555000111"
IMPOSTOR_NAME = "Pomoc Techniczna"

# OVERMAX_DEMO_VERSION: digits and dots, written as `Version:            <it> DEMO (64-bit)`; "none" writes
# the header without a Version line (a build no known header wording names)
DEFAULT_VERSION = "15.0.0"
VERSION_RE = r"\d{1,5}(\.\d{1,5}){1,3}"
VERSION_NONE = "none"

DEFAULT_JOIN_AFTER_S = 5.0
DEFAULT_LEAVE_AFTER_S = 40.0
