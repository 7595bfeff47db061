"""The frozen app (build_installer.spec, one folder), built on Linux and run as a user would: offline."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("pyinstaller", path=os.path.dirname(sys.executable)) is None,
                                 reason="needs the build extra (scripts/test.sh installs it)")]
CLOSED_PORT = "http://127.0.0.1:9"  # nothing listens there: any network use would fail loudly
OFFLINE = {name: CLOSED_PORT for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy",
                                          "all_proxy")}


@pytest.fixture(scope="module")
def frozen(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("pyinstaller")
    pyinstaller = os.path.join(os.path.dirname(sys.executable), "pyinstaller")
    build = subprocess.run([pyinstaller, "--noconfirm", "--log-level", "WARN", "--distpath", str(work / "dist"),
                            "--workpath", str(work / "build"), str(REPO / "build_installer.spec")],
                           cwd=REPO, capture_output=True, text=True, timeout=600)
    if build.returncode != 0:  # PyInstaller's own words (a missing objdump, no shared libpython …)
        pytest.fail(f"PyInstaller failed ({build.returncode}):\n{build.stdout[-4000:]}\n{build.stderr[-8000:]}",
                    pytrace=False)
    folder = work / "dist" / "kwc-desktop"
    assert (folder / "kwc-desktop").is_file()
    return folder


def run(frozen: Path, *args: str, env: dict[str, str] | None = None, cwd: Path | None = None):  # noqa: ANN201
    environment = {**os.environ, **OFFLINE, "QT_QPA_PLATFORM": "offscreen", **(env or {})}
    return subprocess.run([str(frozen / "kwc-desktop"), *args], capture_output=True, text=True, encoding="utf-8",
                          env=environment, cwd=cwd or frozen.parent, timeout=120)


def test_frozen_app_starts_offline(frozen, tmp_path):
    result = run(frozen, "--smoke", env={"KWC_DESKTOP_DATA_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr


def test_frozen_cli_writes_a_japanese_checklist_offline(frozen, tmp_path):
    out = tmp_path / "チェックリスト.pdf"
    result = run(frozen, "checklist", str(REPO / "examples" / "02-invoice-hq-sms.toml"), "--out", str(out),
                 "--lang", "ja", "--as-of", "2023-04-10", env={"KWC_DESKTOP_DATA_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, check=True).stdout.decode()
    assert "移管チェックリスト" in text and "2023年4月21日(金) 23:59" in text
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    assert "KWCSansJP-Regular" in fonts and "DejaVu" not in fonts


def test_frozen_plan_and_errors(frozen):
    result = run(frozen, "plan", str(REPO / "examples" / "03-paypal.toml"), "--json", "--as-of", "2023-04-10")
    assert json.loads(result.stdout)["procedure_ids"] == ["consent", "paypal-card", "paypal-invoice",
                                                          "support-switch", "billing-setup"]
    bad = run(frozen, "plan", "missing.toml", "--lang", "ja")
    assert bad.returncode == 2 and bad.stderr.strip() == "kwc-desktop: missing.toml: ファイルが見つかりません。"


@pytest.mark.skipif(os.environ.get("KWC_TEST_REAL_KEYRING") != "1", reason="needs scripts/test.sh's keyring")
def test_frozen_app_finds_the_real_keyring(frozen):
    from kwc_desktop.services.secrets import open_keyring

    store = open_keyring()
    store.set("HQ main", "sid", "AC" + "cd" * 16)
    try:
        result = run(frozen, "plan", str(REPO / "examples" / "08-many-owners-keyring.toml"), "--keyring", "--json",
                     "--as-of", "2023-04-10")
        accounts = {a["label"]: a for o in json.loads(result.stdout)["owners"] for a in o["accounts"]}
        assert (accounts["HQ main"]["sid"], accounts["HQ main"]["sid_source"]) == ("ACcd…cdcd", "keyring")
    finally:
        store.delete("HQ main", "sid")


def test_the_bundle_holds_only_what_the_app_needs(frozen):
    internal = frozen / "_internal"
    names = {p.name for p in internal.rglob("*")}
    assert {"program_kwc_2023.toml", "messages.toml", "KwcSansJP-Regular.otf", "OFL.txt", "kwc_ja.qm",
            "qt_extra_ja.qm", "kwc-desktop.png"} <= names
    # Qt's own catalogues (ours, qt_extra_ja.qm, fills the two texts qtbase_ja lacks).
    qt_translations = {p.name for p in internal.rglob("*.qm") if p.name.startswith("qt") and p.name != "qt_extra_ja.qm"}
    assert qt_translations <= {"qtbase_ja.qm", "qtbase_en.qm"} and "qtbase_ja.qm" in qt_translations
    assert {p.name for p in internal.rglob("locale-data/*.dat")} == {"root.dat", "en.dat", "en_US.dat", "ja.dat",
                                                                     "ja_JP.dat"}
    assert not [n for n in names if n.startswith(("libgtk", "libgdk", "libcairo", "libpango"))]
    platforms = {p.name for p in internal.rglob("platforms/*")}
    assert platforms == {"libqxcb.so", "libqoffscreen.so", "libqwayland.so"}
    assert not [n for n in names if n.startswith("libQt6Qml") or n.startswith("libQt6Quick")]
    # Nothing on Linux needs ctypes (the spec says why): bundled, PyInstaller's bootstrap imports it at every
    # start. The frozen keyring test shows keyring still finds its Secret Service backend without it.
    assert "ctypes" not in names and not [n for n in names if n.startswith("_ctypes")]


def test_frozen_detect_reads_an_account_from_a_loopback_server(frozen, tmp_path):
    """requests, certifi and phonenumbers' metadata are in the bundle: the frozen CLI reads an account (its
    Japanese number kinds too) from a server on 127.0.0.1, and writes the report."""
    import re

    from pytest_httpserver import HTTPServer

    from tests.fake_twilio import FakeTwilio, company

    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    try:
        fake = FakeTwilio(server.url_for("/"))
        server.expect_request(re.compile(".*")).respond_with_handler(fake)
        (account,) = company(fake, 1, numbers=6, bundles=1)
        profile = tmp_path / "detect.toml"
        profile.write_text(f'profile = 1\n[[owners]]\nemail = "it@example.com"\n  [[owners.accounts]]\n'
                           f'  label = "Main"\n  sid = "{account.sid}"\n', encoding="utf-8")
        report = tmp_path / "report.json"
        result = run(frozen, "detect", str(profile), "--json", "--report", str(report), "--as-of", "2023-04-10",
                     env={"KWC_DESKTOP_DATA_DIR": str(tmp_path), "KWC_TWILIO_API_URL": fake.base,
                          "KWC_TWILIO_NUMBERS_URL": fake.base, "KWC_TWILIO_AUTH_TOKEN": account.token})
        assert result.returncode == 0, result.stderr
        (main,) = json.loads(result.stdout)["accounts"]
        assert main["facts"]["ported_toll_free"] is True and "toll-free-porting" in main["procedures"]
        counts = json.loads(report.read_text(encoding="utf-8"))["accounts"][0]["numbers"]["by_kind"]
        assert counts == {"toll-free": 1, "ip-050": 1, "geographic": 2, "mobile": 2, "other-jp": 0,
                          "other-country": 0}
    finally:
        server.clear()
        server.stop()


def test_frozen_charges_prices_a_big_log_in_two_processes(frozen, tmp_path):
    """A log of 16 MiB or more is read by two processes: the frozen app's second process must do that job
    (multiprocessing.freeze_support) and give what one process gives."""
    sys.path.insert(0, str(REPO / "bench"))
    from charges import make_log

    path = tmp_path / "calls.csv"
    make_log(path, 230_000)
    assert path.stat().st_size >= 16 * 1024 * 1024
    result = run(frozen, "charges", str(path), "--json", env={"KWC_DESKTOP_DATA_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    frozen_months = json.loads(result.stdout)
    from kwc_desktop.services.charges import charges_json, priced, read_log

    log = read_log(path, parallel=False)
    assert frozen_months == json.loads(json.dumps(charges_json(priced(log), log, "en")))


def test_the_frozen_app_is_its_own_second_process_and_carries_no_multiprocessing(frozen, tmp_path):
    """The second half of a big log is read by the frozen executable itself (its hidden option): asked
    directly, it answers with that half. multiprocessing is not in the bundle, so PyInstaller's runtime hook
    for it (which imported multiprocessing, subprocess and pickle at every start) is not either."""
    import pickle

    from PyInstaller.archive.readers import CArchiveReader

    from kwc_desktop.services import charges

    path = tmp_path / "calls.csv"
    path.write_text("start,direction,from,to,duration,status\n" + "".join(
        f"2021-08-{d:02d}T10:00:00+09:00,outbound,+815012345678,+819012000002,{d * 7},completed\n"
        for d in range(1, 29)), encoding="utf-8")
    begin, first_line = charges.split_point(path, path.stat().st_size)
    columns = charges.read_header(["start", "direction", "from", "to", "duration", "status"])
    job = (str(path), "utf-8-sig", begin, None, first_line, columns, None)
    *_, option, encoded = charges.part_command(job)
    answer = subprocess.run([str(frozen / "kwc-desktop"), option, encoded], capture_output=True, timeout=60,
                            env={**os.environ, **OFFLINE})
    assert answer.returncode == 0, answer.stderr
    kind, half = pickle.loads(answer.stdout)
    assert kind == "ok" and half.rows == 28 - (first_line - 2) and 0 < half.rows < 28
    archive = CArchiveReader(str(frozen / "kwc-desktop"))
    assert "pyi_rth_multiprocessing" not in archive.toc
    modules = archive.open_embedded_archive("PYZ.pyz").toc
    assert "subprocess" in modules and "multiprocessing" not in modules  # the listing is real, and has none
    assert not (frozen / "_internal" / "multiprocessing").exists()
    assert (frozen / "_internal" / "kwc_desktop" / "services" / "charges.pyc").is_file()
    assert not any(name.startswith("kwc_desktop") for name in modules)
    # The archive holds the standard library only: its table of contents is read entry by entry at every start
    # (the spec says why), so every other package is kept as .pyc files beside it.
    outside = {name.split(".")[0] for name in modules} - set(sys.stdlib_module_names)
    assert outside <= {"_pyi_rth_utils"} | {n for n in outside if n.startswith("_sysconfigdata_")}, sorted(outside)
    assert (frozen / "_internal" / "phonenumbers" / "data" / "region_JP.pyc").is_file()


def test_the_frozen_first_paint_loads_nothing_from_the_archive(frozen, tmp_path, monkeypatch):
    """The spec's START_PATH: every module the first paint imports is a plain .pyc beside the executable
    (Python's loader reads it faster than PyInstaller's reader unpacks it from the zlib archive), except
    PyInstaller's own bootstrap helpers and the platform's sysconfig data. A module new on the start path
    fails here until its package is added to START_PATH."""
    from PyInstaller.archive.readers import CArchiveReader

    archived = set(CArchiveReader(str(frozen / "kwc-desktop")).open_embedded_archive("PYZ.pyz").toc)
    listing = tmp_path / "modules"
    for name in ("KWC_DESKTOP_DATA_DIR", "XDG_DATA_HOME", "XDG_CONFIG_HOME"):  # the user's path: platformdirs
        monkeypatch.delenv(name, raising=False)
    env = {"HOME": str(tmp_path), "KWC_DESKTOP_LIST_IMPORTS": str(listing)}
    for _ in range(2):  # the first start parses the program file; the second is every later start
        result = run(frozen, "--smoke", env=env)
        assert result.returncode == 0, result.stderr
        loaded = set((tmp_path / "modules.all").read_text(encoding="utf-8").split())
        assert {"json", "kwc_desktop.ui.pages.welcome", "platformdirs", "PySide6"} <= loaded  # the listing is real
        unpacked = {name for name in loaded & archived
                    if name not in {"zipimport", "_pyi_rth_utils", "_pyi_rth_utils.qt"}
                    and not name.startswith("_sysconfigdata_")}
        assert not unpacked, f"first paint loads these from the archive: add them to START_PATH: {sorted(unpacked)}"
