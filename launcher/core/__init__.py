"""The launcher's logic, with no Qt: config-independent building blocks the UI and the CLI share.

requests wants a character-set detector only to guess `Response.text` encodings, which nothing here
uses (manifests and QuickSupport are read as bytes). charset_normalizer would load every CJK codec
table (~3.7 MiB resident); without a detector requests falls back to UTF-8 and says so with a warning
we silence. Set here, before any module of ours can import requests; the frozen app does not ship
either detector (build_spec.spec).
"""

import sys
import warnings

for _detector in ("charset_normalizer", "chardet"):
    sys.modules.setdefault(_detector, None)  # type: ignore[arg-type] - None makes `import` fail at once
warnings.filterwarnings("ignore", message="Unable to find acceptable character detection dependency")
