"""The migration wizard: eight pages; those that do not apply are skipped, every page can be revisited."""

from __future__ import annotations

import sys
from enum import IntEnum

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWizard

from kwc_desktop.ui.context import AppContext
from kwc_desktop.ui.pages.welcome import WelcomePage
from kwc_desktop.ui.widgets import describe, describe_controls


class Page(IntEnum):
    """The pages in their order (Next goes to the next applicable one by this number)."""

    WELCOME = 0
    OVERVIEW = 1  # once there are accounts
    ACCOUNTS = 2
    CONSENT = 3
    OPTIONS = 4
    BILLING = 5
    PAYMENT = 6
    BUNDLES = 7
    SUMMARY = 8


PAGE_NAMES = {page: page.name.lower() for page in Page}
Button = QWizard.WizardButton
# Qt's own source texts for the wizard buttons (translated by Qt's qtbase catalogue, context "QWizard").
# QWizard sets them once and never again, so a runtime language switch has to re-apply them.
QT_BUTTON_TEXTS = {Button.BackButton: "< &Back", Button.NextButton: "&Next >", Button.CommitButton: "Commit",
                   Button.FinishButton: "&Finish", Button.CancelButton: "Cancel"}
QT_MAC_BUTTON_TEXTS = {Button.BackButton: "Go Back", Button.NextButton: "Continue", Button.CommitButton: "Commit",
                       Button.FinishButton: "Done", Button.CancelButton: "Cancel"}


class MigrationWizard(QWizard):
    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.welcome = WelcomePage(context)
        self.setPage(Page.WELCOME, self.welcome)
        self.setStartId(Page.WELCOME)
        self._complete = False
        # The page saved by the last session; until resume() has brought the user back to it, showing a
        # page (Welcome, first) is not the user moving, and must not overwrite it.
        saved = context.session.answers.page
        self._saved_page = next((p for p, name in PAGE_NAMES.items() if name == saved), Page.WELCOME)
        self._resumed = False
        self.setOption(QWizard.WizardOption.HaveHelpButton, True)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        if sys.platform != "darwin":  # macOS keeps its native wizard style
            self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.currentIdChanged.connect(self._remember_page)
        context.language_changed.connect(self.retranslate_ui)
        self.retranslate_ui()

    def ensure_pages(self) -> None:
        """Build the pages after Welcome. The app calls this right after the first paint, so the window
        appears before seven pages (and their imports) are built; anything that needs them calls it too."""
        if self._complete:
            return
        self._complete = True
        from kwc_desktop.ui.pages.accounts import AccountsPage
        from kwc_desktop.ui.pages.billing import BillingPage
        from kwc_desktop.ui.pages.bundles import BundlesPage
        from kwc_desktop.ui.pages.consent import ConsentPage
        from kwc_desktop.ui.pages.options import OptionsPage
        from kwc_desktop.ui.pages.overview import OverviewPage
        from kwc_desktop.ui.pages.payment import PaymentPage
        from kwc_desktop.ui.pages.summary import SummaryPage

        context = self.context
        for page_id, page_class in [(Page.OVERVIEW, OverviewPage), (Page.ACCOUNTS, AccountsPage),
                                    (Page.CONSENT, ConsentPage),
                                    (Page.OPTIONS, OptionsPage), (Page.BILLING, BillingPage),
                                    (Page.PAYMENT, PaymentPage), (Page.BUNDLES, BundlesPage),
                                    (Page.SUMMARY, SummaryPage)]:
            page = page_class(context)
            self.setPage(page_id, page)
            page.completeChanged.connect(self._explain_next)
        self.currentIdChanged.connect(self._explain_next)
        self._describe()
        from kwc_desktop.ui.focus_ring import FocusRing

        FocusRing.install()  # the keyboard's place on buttons, in every window from now on

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("KWC → Twilio Japan transfer guide"))
        self.setButtonText(QWizard.WizardButton.HelpButton, self.tr("FA&Q"))
        mac = self.wizardStyle() == QWizard.WizardStyle.MacStyle
        for button, source in (QT_MAC_BUTTON_TEXTS if mac else QT_BUTTON_TEXTS).items():
            self.setButtonText(button, QCoreApplication.translate("QWizard", source))
        if not mac:
            # Qt's "&Finish" shares its letter with the File menu (and, in Japanese, 完了(F)): N is free on the
            # last page, where Next is not shown.
            self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("Fi&nish"))
        if self._complete:
            self._describe()

    @property
    def pages_built(self) -> bool:
        """The pages after Welcome are built (right after the first paint, in the app)."""
        return self._complete

    def _describe(self) -> None:
        """The buttons' and the current page's accessible descriptions, and why Next is disabled. Not before
        the first paint: the texts (messages.toml) are not needed for it, and reading them cost a tenth of
        the start-up's instructions; a screen reader asks after the window is up."""
        for which in (QWizard.WizardButton.BackButton, QWizard.WizardButton.NextButton,
                      QWizard.WizardButton.FinishButton, QWizard.WizardButton.CancelButton,
                      QWizard.WizardButton.HelpButton):
            describe(self.button(which), self.context.lang)
        describe_controls(self.currentPage() or self.welcome, self.context.lang)
        self._explain_next()

    def _explain_next(self) -> None:
        """A disabled Next says why (the page's own reason, in the user's language)."""
        page = self.currentPage()
        reason = getattr(page, "incomplete_reason", None)
        complete = page is None or page.isComplete()
        self.button(QWizard.WizardButton.NextButton).setToolTip(
            "" if complete else reason() if reason is not None else self.context.msg("a11y.next_incomplete"))

    def applicable_pages(self) -> list[Page]:
        """The pages the current answers need, in order (Welcome, Accounts and Summary always; What's next
        once there are accounts)."""
        program = self.context.session.program
        ids = self.context.session.plan().procedure_ids()
        declared = program.pages
        kinds = self.context.session.kinds()
        accounts = self.context.session.answers.accounts
        transfers = any(program.kind(kinds.get(a.label) or a.kind).transfers for a in accounts)
        pages = [Page.WELCOME, *([Page.OVERVIEW] if self.context.session.answers.accounts else []), Page.ACCOUNTS]
        if transfers:
            if declared.consent is not None:
                pages.append(Page.CONSENT)
            pages.append(Page.OPTIONS)
            if declared.billing is not None and ids & set(declared.billing.procedures):
                pages.append(Page.BILLING)
            if declared.payment is not None and ids & set(declared.payment.procedures):
                pages.append(Page.PAYMENT)
            if declared.bundles is not None and declared.bundles.procedure in ids:
                pages.append(Page.BUNDLES)
        return [*pages, Page.SUMMARY]

    def validateCurrentPage(self) -> bool:
        self.ensure_pages()  # Next may come before the deferred pages are built
        return super().validateCurrentPage()

    def nextId(self) -> int:
        current = self.currentId()
        if not self._complete and current == Page.WELCOME and not self.context.session.answers.accounts:
            return Page.ACCOUNTS  # next with no accounts: showing Welcome does not need the other pages built
        self.ensure_pages()
        if current < 0 or current == Page.SUMMARY:
            return -1
        pages = self.applicable_pages()
        return next((int(p) for p in pages if p > current), -1)

    def _remember_page(self, page_id: int) -> None:
        if not self._resumed or page_id < 0:
            return
        name = PAGE_NAMES[Page(page_id)]
        if self.context.session.answers.page != name:
            self.context.session.answers.page = name
            self.context.save_soon()  # the page is saved, but no other page depends on it

    def go_to_page(self, name: str) -> bool:
        """Show the page named `name` (as a FAQ reference names it), walking forward through the pages the
        answers lead to, so Back works from there. False when the answers do not lead to it."""
        self.ensure_pages()
        target = next((p for p, n in PAGE_NAMES.items() if n == name), None)
        if target is None or target not in self.applicable_pages():
            return False
        if self.currentId() > target or self.currentId() < 0:
            self.restart()
        while self.currentId() != target and self.currentPage().isComplete():
            before = self.currentId()
            self.next()
            if self.currentId() == before:
                break
        self.raise_()
        return self.currentId() == target

    def resume(self) -> None:
        """Walk forward to the saved page so that Back keeps working from there. A saved page the
        answers no longer lead to gives the last page before it that they do."""
        self.ensure_pages()
        self._resumed = False
        self.restart()
        pages = self.applicable_pages()
        target = max((p for p in pages if p <= self._saved_page), default=Page.WELCOME)
        while self.currentId() != target and self.currentPage().isComplete():
            before = self.currentId()
            self.next()
            if self.currentId() == before:
                break
        self._resumed = True
