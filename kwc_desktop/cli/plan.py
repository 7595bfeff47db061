"""`kwc-desktop plan PROFILE`: the checklist as text or JSON, and `--next`, what's next at a glance."""

from __future__ import annotations

import argparse
import sys

from kwc_desktop.cli.common import session_for
from kwc_desktop.domain.text import json_text


def run(args: argparse.Namespace) -> int:
    from kwc_desktop.services.reports import plan_json, plan_text

    lang, session = session_for(args)
    if args.next or args.show is not None:  # --show only makes sense as what's next: it asks for it
        from kwc_desktop.services.reports import overview_json, overview_text

        if args.json:
            sys.stdout.write(json_text(overview_json(session, lang, args.show or "all")) + "\n")
        else:
            sys.stdout.write(overview_text(session, lang, args.show or "all"))
        return 0
    if args.json:
        sys.stdout.write(json_text(plan_json(session, lang)) + "\n")
    else:
        sys.stdout.write(plan_text(session, lang))
    return 0
