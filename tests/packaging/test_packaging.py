"""The wheel (what `pip install .` and the README's first command install) holds the whole app."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.windows  # also run on Windows, under Wine (scripts/test-windows.sh)


@pytest.mark.slow
def test_the_wheel_holds_every_module_and_data_file(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(tmp_path), str(REPO)],
                   check=True, capture_output=True, timeout=300)
    wheel = next(tmp_path.glob("kwc_desktop-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {p.relative_to(REPO).as_posix() for p in (REPO / "kwc_desktop").rglob("*.py") if "__pycache__" not in p.parts}
    assert modules - names == set()
    for data in ["resources/program_kwc_2023.toml", "resources/messages.toml",
                 "resources/fonts/KwcSansJP-Regular.otf", "resources/fonts/OFL.txt",
                 "resources/icons/kwc-desktop.png", "i18n/kwc_ja.ts"]:
        assert f"kwc_desktop/_data/{data}" in names
