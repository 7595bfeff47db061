"""The Inno Setup script and the MSI source, read as text (scripts/test-windows.sh builds and runs both
under Wine): every text the setup shows exists in Japanese and English, and what the upgrade and the
uninstaller rely on is there."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from tests.conftest import REPO

ISS = REPO / "installer" / "windows" / "kwc-desktop.iss"
WXS = REPO / "installer" / "windows" / "kwc-desktop.wxs"


def sections(text: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    current = ""
    for line in text.splitlines():
        if re.fullmatch(r"\[\w+\]", line.strip()):
            current = line.strip()[1:-1]
            found[current] = []
        elif line.strip() and not line.lstrip().startswith(";") and current:
            found[current].append(line)
    return found


def test_the_setup_script_is_utf8_with_a_bom_or_inno_setup_reads_its_japanese_as_ansi():
    assert ISS.read_bytes().startswith(b"\xef\xbb\xbf")


def test_every_text_the_setup_shows_is_there_in_japanese_and_english():
    parts = sections(ISS.read_text(encoding="utf-8-sig"))
    languages = {re.match(r'Name: "(\w+)"', line).group(1) for line in parts["Languages"]}  # type: ignore[union-attr]
    assert languages == {"ja", "en"}
    for section in ("Messages", "CustomMessages"):
        keys: dict[str, set[str]] = {}
        for line in parts[section]:
            lang, key = re.match(r"(\w+)\.(\w+)=", line).groups()  # type: ignore[union-attr]
            keys.setdefault(key, set()).add(lang)
        assert keys and all(langs == languages for langs in keys.values()), (section, keys)
    ja = "\n".join(parts["Messages"])
    assert "AppData\\Roaming\\kwc-desktop" in ja and "資格情報マネージャー" in ja  # the kept data is named


def test_the_upgrade_and_the_running_app_are_handled():
    text = ISS.read_text(encoding="utf-8-sig")
    setup = dict(line.split("=", 1) for line in sections(text)["Setup"])
    assert setup["PrivilegesRequired"] == "lowest" and setup["AppId"].startswith("{{")
    assert setup["AppMutex"] == "kwc-desktop-running"  # kwc_desktop/services/instance.py holds it
    code = text.split("[Code]", 1)[1]  # an upgrade sets N aside, restores it if N+1 fails, discards it after
    assert "CurStepChanged" in code and "DeinitializeSetup" in code and "RestorePrevious();" in code
    assert "InstallDelete" not in sections(text)  # deleting N before copying N+1 would lose it on a failure
    from kwc_desktop.services import instance

    assert instance.WINDOWS_MUTEX == setup["AppMutex"]


def test_the_msi_keeps_one_upgrade_code_and_a_new_product_code_per_build():
    product = ET.parse(WXS).getroot().find("{http://schemas.microsoft.com/wix/2006/wi}Product")
    assert product is not None and product.get("Id") == "*"
    assert re.fullmatch(r"[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}", product.get("UpgradeCode", ""))
    assert product.find("{http://schemas.microsoft.com/wix/2006/wi}MajorUpgrade") is not None
