"""Renders every wizard page (and the FAQ) in Japanese and English to docs/screenshots/*.png — and the
same pages at 1024×640, with the default font and with a 150 % font (docs/screenshots/1024x640/ and
1024x640-150/), where layouts are tightest.

Offscreen, with a fixed clock (2023-04-10 10:00 JST) and demo accounts that reach all nine pages.
Usage: QT_QPA_PLATFORM=offscreen python scripts/screenshots.py [OUT_DIR]
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import datetime
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("KWC_DESKTOP_DATA_DIR", tempfile.mkdtemp(prefix="kwc-shots-"))

from PySide6.QtWidgets import QApplication  # noqa: E402

from kwc_desktop.domain.answers import AccountEntry, ConsentPrep, DoneScope  # noqa: E402
from kwc_desktop.domain.clock import FixedClock  # noqa: E402
from kwc_desktop.services.program_store import load_program  # noqa: E402
from kwc_desktop.services.secrets import SessionSecrets  # noqa: E402
from kwc_desktop.ui.wizard import Page  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def demo_secrets() -> SessionSecrets:
    # Invented SIDs (not real accounts), in memory only.
    secrets = SessionSecrets()
    secrets.set("本番 (Production)", "sid", "AC0123456789abcdef0123456789abcdef")
    secrets.set("本番 (Production)", "token", "0" * 32)
    secrets.set("Call center", "sid", "AC3333333333333333333333333333cccc")
    secrets.set("本番 (Production)", "bundles", "BU0123456789abcdef0123456789abcdef")
    return secrets


def fill(window) -> None:  # type: ignore[no-untyped-def]
    answers = window.context.session.answers
    answers.accounts = [
        AccountEntry("本番 (Production)", "it-admin@example.com", "standard",
                     {"payment": "invoice", "hq_sms": True, "dedicated_sms_sender": False, "ported_toll_free": False,
                      "editions": True, "editions_new_options": False, "has_bundles": True},
                     bundle_count=1),
        AccountEntry("Call center", "it-admin@example.com", "standard",
                     {"payment": "paypal", "paypal_2022_usd": Decimal("62500"), "hq_sms": False}),
        AccountEntry("Prototype", "dev@example.com", "trial"),
        AccountEntry("Direct account", "dev@example.com", "twilio-direct"),
    ]
    answers.owner_facts = {"it-admin@example.com": {"owner_change_planned": False}}
    answers.consent = {"it-admin@example.com": ConsentPrep("株式会社サンプル", "情報システム部長", "山田 太郎",
                                                           {"authority", "no-private-use"}, None)}
    answers.billing = {"company-name-ja": "株式会社サンプル", "company-name-en": "Sample K.K.",
                       "billing-address-en": "1-2-3 Shibuya, Shibuya-ku, Tokyo 150-0002",
                       "billing-email": "billing@example.com", "billing-contact-ja": "佐藤 花子",
                       "billing-contact-en": "Hanako Sato"}
    answers.billing_account = "本番 (Production)"
    answers.done = {DoneScope.account("本番 (Production)"): {"invoice-payment/read-twilio-contact"}}
    window.context.keeper.reload_secrets()
    window.context.wait_for_background()
    QApplication.processEvents()
    window.context.touch()


def main() -> int:
    from kwc_desktop.app import build_window

    out = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    program = load_program()
    clock = FixedClock(datetime(2023, 4, 10, 10, 0, tzinfo=program.tz))
    base_font = app.font()
    variants = [("", (1000, 760), 1.0), ("1024x640", (1024, 640), 1.0), ("1024x640-150", (1024, 640), 1.5)]
    for folder, size, scale in variants:
        target = out / folder if folder else out
        target.mkdir(parents=True, exist_ok=True)
        font = app.font()
        font.setPointSizeF(base_font.pointSizeF() * scale)
        app.setFont(font)
        for lang in ("ja", "en"):
            window = build_window(app, clock=clock, secrets=demo_secrets(), lang=lang)  # type: ignore[arg-type]
            window.resize(*size)
            window.show()
            fill(window)
            wizard = window.wizard
            wizard.restart()
            for n, page in enumerate(wizard.applicable_pages()):
                while wizard.currentId() != page:
                    wizard.next()
                QApplication.processEvents()
                window.grab().save(str(target / f"{lang}-{n + 1}-{page.name.lower()}.png"))
            # Accounts just after a removal: what went, and the button that brings it back.
            while wizard.currentId() != Page.ACCOUNTS:
                wizard.back()
            window.context.session.remove_account("Prototype", undoable=True)
            window.context.touch()
            QApplication.processEvents()
            window.grab().save(str(target / f"{lang}-3-accounts-undo.png"))
            window.show_faq()
            assert window.faq is not None
            window.faq.search.setText("PayPal")
            QApplication.processEvents()
            window.faq.grab().save(str(target / f"{lang}-faq.png"))
            window.faq.close()
            window.close()
        app.setFont(base_font)
    print(f"wrote {len(list(out.rglob('*.png')))} screenshots to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
