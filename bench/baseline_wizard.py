"""The baseline of bench/startup.py and bench/installer.py: a bare PySide6 QWizard with eight empty pages
that reports its first paint and quits (like `kwc-desktop --smoke`)."""

import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWizard, QWizardPage

PAGES = 8

if __name__ == "__main__":
    app = QApplication(sys.argv[:1])
    wizard = QWizard()
    for n in range(PAGES):
        page = QWizardPage()
        page.setTitle(f"Page {n}")
        wizard.addPage(page)
    wizard.show()

    def painted() -> None:
        wizard.repaint()
        if sys.stdout is not None:  # a windowed Windows build has no stdout
            print("first-paint-monotonic-ns", time.monotonic_ns(), flush=True)
        wizard.close()
        app.quit()

    QTimer.singleShot(0, painted)
    sys.exit(app.exec())
