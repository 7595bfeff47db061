"""A reference for bench/startup.py: the widgets of kwc-desktop's first paint (main window with its four
menus, the language actions in a group, the window icon, the empty notices' area above the wizard, the
wizard, the Welcome page with its form, banner, timeline and lists, the bundled Japanese font and Qt's
Japanese translations) built in plain PySide6 with fixed texts — no
program data, no babel, no app code. It reports its first paint and quits, like `kwc-desktop --smoke`.

It answers "how much of the start-up is Qt's own cost for what the first page shows?": the app can only
be as fast as this.
"""

import sys
import time
from pathlib import Path

from PySide6.QtCore import QDate, QDateTime, QLibraryInfo, Qt, QTimer, QTimeZone, QTranslator
from PySide6.QtGui import QAction, QActionGroup, QFontDatabase, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QMainWindow,
    QRadioButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

# Beside the script in the source tree; in the bundle when frozen (build_installer.spec, KWC_BUILD_BASELINE=welcome).
RESOURCES = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent.parent)) / "resources"
FONT = RESOURCES / "fonts" / "KwcSansJP-Regular.otf"
ICON = RESOURCES / "icons" / "kwc-desktop.png"
ROWS = 15  # the timeline's fixed milestones

if __name__ == "__main__":
    app = QApplication(sys.argv[:1])
    app.setWindowIcon(QIcon(str(ICON)))  # the title bar and task bar show it from the first frame
    font_id = QFontDatabase.addApplicationFont(str(FONT))
    font = app.font()
    font.setFamilies([font.family(), *QFontDatabase.applicationFontFamilies(font_id)])
    app.setFont(font)
    translator = QTranslator(app)
    if translator.load("qtbase_ja", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(translator)

    window = QMainWindow()
    window.setWindowTitle("KWC → Twilio Japan 移管ガイド")
    for title, actions in (("ファイル(&F)", [("プロファイルを開く(&O)…", QKeySequence.StandardKey.Open), ("", None),
                                            ("終了(&Q)", QKeySequence.StandardKey.Quit)]),
                           ("言語(&L)", [("日本語", None), ("English", None)]),
                           ("ツール(&S)", [("次にすること (すべての期限を日付順に)(&W)…", None),
                                          ("料金の確認 (COTOHA Voice DX Basic)(&C)…", None)]),
                           ("ヘルプ(&H)", [("よくある質問(&F)", QKeySequence.StandardKey.HelpContents),
                                          ("このアプリについて(&A)", None)])):
        menu = window.menuBar().addMenu(title)
        languages = QActionGroup(window) if title.startswith("言語") else None  # one language checked at a time
        for text, key in actions:
            action = QAction(text, window)
            action.setSeparator(not text)  # the File menu's line, as the app makes it
            if key is not None:
                action.setShortcut(key)
            if languages is not None:
                action.setCheckable(True)
                action.setChecked(text == "日本語")
                languages.addAction(action)
            menu.addAction(action)

    wizard = QWizard()
    wizard.setWindowFlags(wizard.windowFlags() & ~Qt.WindowType.Dialog)
    wizard.setOption(QWizard.WizardOption.HaveHelpButton, True)
    wizard.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
    wizard.setWizardStyle(QWizard.WizardStyle.ModernStyle)
    wizard.setButtonText(QWizard.WizardButton.HelpButton, "FAQ(&Q)")
    page = QWizardPage()
    page.setTitle("ようこそ")
    page.setSubTitle("このガイドは、KWC の Twilio アカウントを Twilio Japan へ移管する手続きを案内します。")
    language = QComboBox()
    language.addItems(["日本語", "English"])
    now, chosen = QRadioButton("現在(&N)"), QRadioButton("指定した日時(&M)")
    group = QButtonGroup(page)
    group.addButton(now)
    group.addButton(chosen)
    now.setChecked(True)
    moment = QDateTimeEdit()
    moment.setTimeZone(QTimeZone(b"Asia/Tokyo"))
    moment.setDateRange(QDate(2000, 1, 1), QDate(2099, 12, 31))
    moment.setCalendarPopup(True)
    moment.setDisplayFormat("yyyy-MM-dd HH:mm")
    moment.setDateTime(QDateTime.currentDateTime())
    moment.setEnabled(False)
    form = QFormLayout()
    form.addRow("言語(&L):", language)
    row = QHBoxLayout()
    for widget in (now, chosen, moment):
        row.addWidget(widget)
    row.addStretch()
    form.addRow("期限の基準(&A):", row)
    banner = QLabel("2026年12月2日(水) 17:16時点で、移管に関する期限はすべて過ぎています。"
                    "チェックリストでは、完了したもの、期限超過のもの、期限切れで実施できないものを引き続き確認できます。")
    banner.setWordWrap(True)
    banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    banner.setFrameShape(QFrame.Shape.StyledPanel)
    banner.setMargin(8)
    banner.setStyleSheet("QLabel { background: #fff4e0; border: 1px solid #c77700; border-radius: 4px; }")
    timeline = QTreeWidget()
    timeline.setColumnCount(3)
    timeline.setRootIsDecorated(False)
    timeline.setAlternatingRowColors(True)
    header = timeline.header()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
    timeline.setWordWrap(True)
    timeline.setTextElideMode(Qt.TextElideMode.ElideNone)
    timeline.setHeaderLabels(["日時 (日本時間)", "内容", "状況"])
    for n in range(ROWS):
        timeline.addTopLevelItem(QTreeWidgetItem([f"2023年4月{n + 1}日(土) 23:59",
                                                  f"マイルストーン {n + 1} の説明: 移管の手続きとその期限、連絡の内容",
                                                  "経過"]))
    timeline.resizeColumnToContents(0)
    timeline.resizeColumnToContents(2)
    tabs = QTabWidget()
    tabs.addTab(timeline, "タイムライン(&T)")
    for title in ("変わらないこと(&S)", "変わること(&C)"):
        items = QListWidget()
        items.setWordWrap(True)
        items.addItems([f"{title} {n}" for n in range(6)])
        tabs.addTab(items, title)
    layout = QVBoxLayout(page)
    layout.addLayout(form)
    layout.addWidget(banner)
    layout.addWidget(tabs, 1)
    wizard.addPage(page)
    for _ in range(7):
        wizard.addPage(QWizardPage())
    # The app's central widget: the notices' area (three empty, hidden notices) above the wizard.
    central = QWidget()
    column = QVBoxLayout(central)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(0)
    notices = QWidget()
    notices_layout = QVBoxLayout(notices)
    notices_layout.setContentsMargins(8, 4, 8, 0)
    for _ in range(3):
        notice = QWidget()
        notice.hide()
        notices_layout.addWidget(notice)
    column.addWidget(notices)
    column.addWidget(wizard, 1)
    window.setCentralWidget(central)
    window.resize(980, 720)
    window.show()

    def painted() -> None:
        window.repaint()
        if sys.stdout is not None:
            print("first-paint-monotonic-ns", time.monotonic_ns(), flush=True)
        window.close()
        app.quit()

    QTimer.singleShot(0, painted)
    sys.exit(app.exec())
