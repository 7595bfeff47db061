#!/usr/bin/env bash
# Wraps "dist/KWC Desktop.app" (from `pyinstaller --noconfirm --clean build_installer.spec` on macOS)
# into dist/kwc-desktop-<version>.dmg with an Applications link. Needs macOS (hdiutil).
# Not tested on this project's Linux CI; unsigned: Gatekeeper asks the user to confirm the first start
# (sign with `codesign --deep -s "Developer ID Application: …"` and notarize with `xcrun notarytool`).
set -euo pipefail
cd "$(dirname "$0")/../.."
version=$(python3 -c "import kwc_desktop; print(kwc_desktop.__version__)")
app="dist/KWC Desktop.app"
[ -d "$app" ] || { echo "make_dmg.sh: $app not found: run pyinstaller build_installer.spec first" >&2; exit 2; }
staging=$(mktemp -d)
cp -R "$app" "$staging/"
ln -s /Applications "$staging/Applications"
hdiutil create -volname "KWC Desktop" -srcfolder "$staging" -ov -format UDZO "dist/kwc-desktop-$version.dmg"
rm -rf "$staging"
echo "dist/kwc-desktop-$version.dmg"
