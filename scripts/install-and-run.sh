#!/usr/bin/env bash
# Installs kwc-desktop on a fresh Debian/Ubuntu machine (as root) and starts it.
# Usage: bash scripts/install-and-run.sh [kwc-desktop arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  # apt's output is shown only when it fails: on a fresh machine debconf also says on stderr that it delays
  # configuration (no apt-utils), which is noise before the app's own message.
  apt_log=$(mktemp)
  trap 'rm -f "$apt_log"' EXIT
  if ! { apt-get update -qq &&
    # Python, the libraries Qt needs (a real window on X11 needs the xcb ones), and a Secret Service
    # so SIDs and Auth Tokens can be kept in the keyring.
    apt-get install -y -qq --no-install-recommends \
      python3 python3-venv python3-pip \
      libglib2.0-0 libgl1 libegl1 libfontconfig1 libxkbcommon0 libdbus-1-3 \
      libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxkbcommon-x11-0 libxcb-image0 \
      libxcb-render-util0 libxcb-randr0 libxcb-shape0 \
      gnome-keyring; } >"$apt_log" 2>&1; then
    cat "$apt_log" >&2
    exit 1
  fi
  rm -f "$apt_log"
  trap - EXIT
fi

python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q .
exec .venv/bin/kwc-desktop "$@"
