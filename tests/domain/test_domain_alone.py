"""The domain core stands alone: no Qt, and formatting through babel."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from kwc_desktop.domain.formatting import format_amount, format_instant, format_moment

pytestmark = pytest.mark.windows  # also run on Windows, under Wine (scripts/test-windows.sh)


DOMAIN = Path(__file__).resolve().parents[2] / "kwc_desktop" / "domain"


def test_domain_imports_no_qt():
    modules = [f"kwc_desktop.domain.{p.stem}" for p in DOMAIN.glob("*.py") if p.stem != "__init__"]
    code = f"import sys; import {', '.join(modules)}; print(sorted(m for m in sys.modules if 'PySide' in m or 'Qt' in m))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
    assert not any("PySide6" in p.read_text(encoding="utf-8") for p in DOMAIN.glob("*.py"))


def test_deadline_formats(program):
    deadline = program.milestone("consent-deadline").moment
    assert format_moment(deadline, "ja") == "2023年4月21日(金) 23:59"
    assert format_moment(deadline, "en") == "Fri, Apr 21, 2023, 11:59 PM"
    assert format_moment(program.milestone("owner-change-deadline").moment, "ja") == "2023年4月14日(金)"
    utc = datetime.fromisoformat("2023-04-21T14:59:00+00:00")
    assert format_instant(utc, program.tz, "ja") == "2023年4月21日(金) 23:59"


def test_amounts():
    assert format_amount(Decimal("62500"), "ja") == "62,500"
    assert format_amount(Decimal("1234.5"), "en") == "1,234.5"
