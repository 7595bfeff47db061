"""What the installer left in the Wine prefix, checked under the Windows Python after each step of its life
(scripts/test-windows.sh runs it by name; it is not collected otherwise):

  python tests/windows_installer.py installed VERSION LANG [--has NAME] [--lacks NAME]
  python tests/windows_installer.py removed [--wait SECONDS]
  python tests/windows_installer.py data save FILE | data same FILE
  python tests/windows_installer.py version VERSION FILE...   (the PE version resource of each file)

Each prints what it found and exits 1 naming every difference from what a user should get."""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
import winreg  # type: ignore[import-not-found,unused-ignore]
from pathlib import Path

APP_ID = "{6C0F2A4E-4B1D-4E58-9A1C-5B0D2E7A3C11}_is1"
UNINSTALL = r"Software\Microsoft\Windows\CurrentVersion\Uninstall"
SHORTCUTS = {"ja": "KWC → Twilio Japan 移管ガイド.lnk", "en": "KWC → Twilio Japan transfer guide.lnk"}
SECRET = ("本番", "sid")  # left in the Credential Manager by tests/windows_session.py


def install_dir() -> Path:
    return Path(os.environ["LOCALAPPDATA"]) / "Programs" / "kwc-desktop"


def start_menu() -> Path:
    return Path(os.environ["APPDATA"]) / "Microsoft" / "Windows" / "Start Menu" / "Programs" / "kwc-desktop"


def entries() -> dict[str, dict[str, object]]:
    """Every uninstall entry that names kwc-desktop, per user and per machine (both registry views)."""
    found: dict[str, dict[str, object]] = {}
    places = [("HKCU", winreg.HKEY_CURRENT_USER, 0), ("HKLM64", winreg.HKEY_LOCAL_MACHINE, winreg.KEY_WOW64_64KEY),
              ("HKLM32", winreg.HKEY_LOCAL_MACHINE, winreg.KEY_WOW64_32KEY)]
    for where, root, view in places:
        try:
            parent = winreg.OpenKey(root, UNINSTALL, 0, winreg.KEY_READ | view)
        except OSError:
            continue
        index = 0
        while True:
            try:
                name = winreg.EnumKey(parent, index)
            except OSError:
                break
            index += 1
            with winreg.OpenKey(parent, name, 0, winreg.KEY_READ | view) as key:
                values = {}
                value_index = 0
                while True:
                    try:
                        value_name, value, _kind = winreg.EnumValue(key, value_index)
                    except OSError:
                        break
                    values[value_name] = value
                    value_index += 1
            if "kwc-desktop" in str(values.get("DisplayName", "")):
                found[f"{where}\\{name}"] = values
    return found


def check_installed(version: str, lang: str, has: list[str], lacks: list[str]) -> list[str]:
    problems = []
    folder = install_dir()
    for name in ("kwc-desktop.exe", "kwc-desktop-cli.exe", "unins000.exe", *has):
        if not (folder / name).exists():
            problems.append(f"no {name} in {folder}")
    problems += [f"{name} is still in {folder}" for name in lacks if (folder / name).exists()]
    shortcut = start_menu() / SHORTCUTS[lang]
    if not shortcut.is_file():
        listed = sorted(p.name for p in start_menu().glob("*")) if start_menu().is_dir() else "no folder"
        problems.append(f"no Start-menu shortcut {shortcut.name} (found: {listed})")
    found = entries()
    if list(found) != [f"HKCU\\{APP_ID}"]:
        problems.append(f"uninstall entries: {list(found)} (want one, per user: HKCU\\{APP_ID})")
    values = found.get(f"HKCU\\{APP_ID}", {})
    want = {"DisplayVersion": version, "Publisher": "kwc-desktop", "Inno Setup: Language": lang}
    problems += [f"{name} is {values.get(name)!r}, want {value!r}" for name, value in want.items()
                 if values.get(name) != value]
    if not str(values.get("DisplayName", "")).startswith("kwc-desktop"):
        problems.append(f"DisplayName is {values.get('DisplayName')!r}")
    icon = str(values.get("DisplayIcon", "")).split(",")[0]
    if Path(icon) != folder / "kwc-desktop.exe":
        problems.append(f"DisplayIcon is {icon!r}")
    location = str(values.get("InstallLocation", "")).rstrip("\\")
    if Path(location) != folder:
        problems.append(f"InstallLocation is {location!r}, want {folder}")
    print(f"installed {version} ({lang}) in {folder}: {len(list(folder.rglob('*')))} files; entry: "
          + json.dumps({k: values.get(k) for k in ("DisplayName", "DisplayVersion", "Inno Setup: Language")},
                       ensure_ascii=False))
    return problems


def check_removed(wait_s: float) -> list[str]:
    """The uninstaller copies itself to %TEMP% and returns at once: wait for its copy to finish."""
    deadline = time.monotonic() + wait_s
    while True:
        problems = []
        if install_dir().exists():
            problems.append(f"{install_dir()} is still there: {sorted(p.name for p in install_dir().iterdir())}")
        if start_menu().exists():
            problems.append(f"{start_menu()} is still there")
        if entries():
            problems.append(f"uninstall entries left: {list(entries())}")
        if not problems or time.monotonic() > deadline:
            print(f"removed: {'yes' if not problems else 'no'}")
            return problems
        time.sleep(1)


def check_version(path: Path, version: str) -> list[str]:
    """What Explorer's Properties > Details shows, and what a software inventory reads."""
    import pefile  # PyInstaller's own dependency on Windows

    pe = pefile.PE(str(path), fast_load=True)
    pe.parse_data_directories(directories=[pefile.DIRECTORY_ENTRY["IMAGE_DIRECTORY_ENTRY_RESOURCE"]])
    strings: dict[str, str] = {}
    for info in getattr(pe, "FileInfo", []):
        for entry in info if isinstance(info, list) else [info]:
            for table in getattr(entry, "StringTable", []):
                strings.update({k.decode(): v.decode().rstrip(" \x00") for k, v in table.entries.items()})  # Inno pads
    want = {"ProductName": "KWC → Twilio Japan transfer guide", "CompanyName": "kwc-desktop", "ProductVersion": version}
    print(f"{path.name}: " + json.dumps({k: strings.get(k) for k in want}, ensure_ascii=False))
    return [f"{path.name}: {name} is {strings.get(name)!r}, want {value!r}" for name, value in want.items()
            if strings.get(name) != value]


def data_state() -> dict[str, str]:
    """The user's own things: the progress file's digest and the secret in the Credential Manager."""
    from kwc_desktop.services.paths import app_data_dir
    from kwc_desktop.services.secrets import open_keyring

    progress = app_data_dir() / "progress.json"
    secret = open_keyring().get(*SECRET)
    return {"progress.json": hashlib.sha256(progress.read_bytes()).hexdigest() if progress.is_file() else "missing",
            "secret": hashlib.sha256(secret.encode()).hexdigest() if secret else "missing"}


def main(argv: list[str]) -> int:
    command = argv[0]
    if command == "installed":
        version, lang = argv[1], argv[2]
        options = argv[3:]
        has = [options[i + 1] for i, o in enumerate(options) if o == "--has"]
        lacks = [options[i + 1] for i, o in enumerate(options) if o == "--lacks"]
        problems = check_installed(version, lang, has, lacks)
    elif command == "removed":
        problems = check_removed(float(argv[2]) if argv[1:2] == ["--wait"] else 0)
    elif command == "data":
        state, file = data_state(), Path(argv[2])
        if argv[1] == "save":
            if "missing" in state.values():
                print(f"nothing to keep: {state}", file=sys.stderr)
                return 1
            file.write_text(json.dumps(state))
            problems = []
        else:
            saved = json.loads(file.read_text())
            problems = [f"{name} changed ({saved[name][:8]} -> {state[name][:8]})" for name in saved
                        if state[name] != saved[name]]
        print(f"the user's data: {'kept' if not problems else 'changed'}")
    elif command == "version":
        problems = [p for file in argv[2:] for p in check_version(Path(file), argv[1])]
    else:
        print(__doc__, file=sys.stderr)
        return 2
    for problem in problems:
        print(f"  - {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
