"""What's next: the first page after Welcome once there are accounts — every procedure's next step by
date, the one thing to do next, and the calendar export."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout

from kwc_desktop.ui.context import AppContext
from kwc_desktop.ui.overview import OverviewPanel
from kwc_desktop.ui.pages.base import BasePage


class OverviewPage(BasePage):
    def __init__(self, context: AppContext) -> None:
        super().__init__(context)
        self.panel = OverviewPanel(context)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setTitle(self.tr("What's next"))
        self.setSubTitle(self.tr("Every procedure's next step, by date. The pages after this one are where you "
                                 "answer, prepare and tick them off."))

    def refresh(self) -> None:
        self.panel.refresh()
