"""kwc-desktop: a guide through the transfer of KWC's Twilio accounts to Twilio Japan."""

import sys

# What the interpreter loaded before the app's first line: site, the .pth files and a sitecustomize (Debian's
# python3 has one). The list of the first paint's imports (--smoke, for tests/packaging/test_startup_imports.py)
# leaves these out: they are not on the app's start path, and they differ from one Python to the next.
PRELOADED = frozenset(sys.modules)

__version__ = "0.1.0"
APP_NAME = "kwc-desktop"
