"""The baseline of bench/startup.py and bench/installer.py: a bare PySide6 QWizard with eight empty pages
that quits right after its first paint (like `kwc-desktop --smoke`)."""

import sys

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
    QTimer.singleShot(0, lambda: (wizard.repaint(), wizard.close(), app.quit()))
    sys.exit(app.exec())
