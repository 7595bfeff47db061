"""`kwc-desktop checklist PROFILE --out FILE.pdf`: the A4 checklist to sign off."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from kwc_desktop.cli.common import session_for, writable
from kwc_desktop.console import fail
from kwc_desktop.domain.text import UserError, messages, shown


def run(args: argparse.Namespace) -> int:
    lang, session = session_for(args)
    out: Path = args.out
    if out.suffix.lower() != ".pdf":
        fail(messages()("pdf.write_failed", lang, path=str(out), reason=messages()("pdf.not_pdf", lang)))
    writable(out, lang, lambda reason: messages()("pdf.write_failed", lang, path=str(out), reason=reason))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a PDF needs fonts, not a screen
    from PySide6.QtGui import QGuiApplication

    from kwc_desktop.services.checklist_pdf import checklist_input, lacking_characters, write_checklist_pdf

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    if args.show_sids and args.mask_sids:
        fail(messages()("cli.mask_or_show", lang))
    data = checklist_input(session, lang, mask_sids=not args.show_sids)
    try:
        pages, written = write_checklist_pdf(out, data)
    except UserError as e:
        fail(e.message(lang))
    print(messages()("pdf.written", lang, path=written.shown(lang), pages=pages))
    lacking = lacking_characters(data)
    if lacking:  # written, and said: the page shows these as [U+XXXX]
        print(f"kwc-desktop: {messages()('pdf.missing_glyphs', lang, chars=shown(lacking))}", file=sys.stderr)
    return 0
