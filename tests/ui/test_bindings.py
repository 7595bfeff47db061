"""Guards against binding bugs that would crash the app in a long session."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QLabel

pytestmark = pytest.mark.windows  # also run on Windows, under Wine (scripts/test-windows.sh)


def none_references_lost_per_call(call, times: int = 2000) -> float:  # noqa: ANN001
    before = sys.getrefcount(None)
    for _ in range(times):
        call()
    return (before - sys.getrefcount(None)) / times


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12 on")
def test_void_methods_do_not_leak_references_to_none(qtbot):
    """PySide6 6.12.0 on Python 3.11 lost one reference to None per call of a void method: after a few
    thousand calls (one refresh of a page makes hundreds) the interpreter aborts with none_dealloc."""
    label = QLabel()
    qtbot.addWidget(label)
    image = QImage(8, 8, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        assert none_references_lost_per_call(lambda: label.setText("x")) < 0.01
        assert none_references_lost_per_call(lambda: (painter.save(), painter.restore())) < 0.01
    finally:
        painter.end()
