#!/usr/bin/env bash
# Installs everything the tests need on a fresh Debian/Ubuntu machine (as root) and runs the whole
# suite: offscreen Qt, a real Secret Service (gnome-keyring in its own dbus session, throwaway HOME),
# poppler for PDF checks. Usage: bash scripts/test.sh [pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # Qt offscreen; a real Secret Service (gnome-keyring, dbus); poppler to read PDFs back; and what
  # PyInstaller needs for the installer tests: objdump (binutils) and the shared libpython.
  python_version=$(python3 -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
  apt-get install -y -qq --no-install-recommends \
    python3 python3-venv python3-pip \
    libglib2.0-0 libgl1 libegl1 libfontconfig1 libxkbcommon0 libdbus-1-3 \
    gnome-keyring dbus poppler-utils \
    binutils "libpython${python_version}" >/dev/null
fi

python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
# A regular install, as a user gets it: the tests start the installed `kwc-desktop` itself, and import
# the source tree (the current folder) for everything else.
.venv/bin/python -m pip install -q ".[test,build]"

# Lint, types and the import layers first: cheap, and they catch what tests might not.
.venv/bin/ruff check kwc_desktop tests scripts bench
.venv/bin/mypy
.venv/bin/lint-imports --no-cache >/dev/null || .venv/bin/lint-imports --no-cache

# Translations: build every i18n/*.qm from its .ts with Qt's lrelease (never committed).
.venv/bin/python -m kwc_desktop.ui.translations >/dev/null

export HOME="$(mktemp -d)"           # never the developer's own keyring or settings
export QT_QPA_PLATFORM=offscreen
export KWC_TEST_REAL_KEYRING=1        # the keyring tests must not be skipped here
dbus-run-session -- sh -c '
  echo -n "ci-pass" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  exec "$@"' sh .venv/bin/python -m pytest "$@"

# Then the Windows tests, under Wine (scripts/test-windows.sh: the tests marked `windows`, the installer
# built by PyInstaller for Windows and run frozen, %APPDATA%, a secret scan). KWC_TEST_WINDOWS=0 skips
# them for a quick local run; CI always runs them.
if [ "${KWC_TEST_WINDOWS:-1}" != 0 ]; then
  bash scripts/test-windows.sh
fi
