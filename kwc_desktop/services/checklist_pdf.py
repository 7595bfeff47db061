"""The checklist as an A4 PDF (or on a printer) a manager can sign off, with Qt's own PDF writer.

One QTextDocument laid out on the paint device, painted page by page so that we draw our own page
numbers. The text is set in the bundled KWC Sans JP (its character map keeps copy-paste exact); the
tick boxes (□) and check marks (✓) come from that font too, never from a system font.

Known limit: when a table row breaks across a page, Qt paints the split cell on both pages under a
clip; the printed page is right, but the PDF's text layer (search, copy) holds the cut line twice.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from html import escape
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QFont,
    QFontDatabase,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QRawFont,
    QTextDocument,
)

from kwc_desktop.domain.checklist import Plan, ProcedureStatus, State, all_deadlines_passed
from kwc_desktop.domain.formatting import format_instant, format_moment
from kwc_desktop.domain.program import MAIN_SOURCE
from kwc_desktop.domain.records import field, record
from kwc_desktop.domain.session import Session
from kwc_desktop.domain.sid import Sid
from kwc_desktop.domain.text import Lang, UserError, fill, messages
from kwc_desktop.resources import resource_path
from kwc_desktop.services.files import OutputFile, output_file, replace_output
from kwc_desktop.services.reports import (
    conflict_line,
    deadline_cell,
    note_lines,
    step_when,
    what_is_left_line,
    what_now_line,
)

FONT_FILE = "KwcSansJP-Regular.otf"
FONT_POINTS = 9.0
MARGIN_MM = 15
FOOTER_MM = 8
BOX_OPEN, BOX_DONE = "□", "✓"


class ChecklistWriteFailed(UserError):
    def __init__(self, path: Path, reason: str) -> None:
        super().__init__("pdf.write_failed", path=str(path), reason=reason)


class PaintFailed(UserError):
    """Qt could not start painting on the device, or could not finish (a file or printer that failed)."""

    def __init__(self) -> None:
        super().__init__("pdf.paint_failed")


class ChecklistCancelled(UserError):
    """The user stopped the export (or the print) before its last page: nothing was written."""

    def __init__(self) -> None:
        super().__init__("pdf.cancelled")


Progress = Callable[[tuple[int, int]], None]  # (pages painted, pages in all)


@record
class ChecklistInput:
    """What goes on paper besides the plan: SIDs as they may be shown, and the seven items' values."""

    plan: Plan
    lang: Lang
    generated_at: datetime
    sids: Mapping[str, Sid] = field(default_factory=dict)  # label -> SID
    mask_sids: bool = True  # on paper a SID is masked unless the user asks for it whole
    item_values: Mapping[str, str] = field(default_factory=dict)  # item id -> text (from the wizard)
    companies: Mapping[str, str] = field(default_factory=dict)  # owner email -> company (the consent page's)


def checklist_input(session: Session, lang: Lang, mask_sids: bool) -> ChecklistInput:
    """What the session puts on paper now: its plan, SIDs and the seven items' values, stamped with
    the clock's time (not the chosen moment)."""
    answers = session.answers
    companies = {email: answers.consent_for(email).company for email in answers.owner_emails()
                 if answers.consent_for(email).company}
    return ChecklistInput(session.plan(), lang, session.wall_time(), dict(session.secrets.sids), mask_sids,
                          dict(answers.billing), companies)


_family: str | None = None


def checklist_font_family() -> str:
    """Register the bundled font once; its family name."""
    global _family
    if _family is None:
        font_id = QFontDatabase.addApplicationFont(str(resource_path("fonts", FONT_FILE)))
        families = QFontDatabase.applicationFontFamilies(font_id)
        if not families:
            raise RuntimeError(f"bundled font {FONT_FILE} could not be loaded")
        _family = families[0]
    return _family


_lacking: dict[str, bool] = {}
_raw_font: QRawFont | None = None


def _font_lacks(char: str) -> bool:
    """Whether the bundled font has no glyph for the character (asked once per character)."""
    global _raw_font
    known = _lacking.get(char)
    if known is None:
        if _raw_font is None:
            _raw_font = QRawFont(str(resource_path("fonts", FONT_FILE)), 12)
        known = _lacking[char] = char > " " and not _raw_font.supportsCharacter(ord(char))  # (a str: wrong answers)
    return known


def lacking_characters(data: ChecklistInput) -> str:
    """The characters of the checklist that its font cannot draw, each once, in the order they come (say, a
    label in Thai or with an emoji): the PDF shows each as its code point, [U+0E01], and the user is told."""
    seen: dict[str, None] = {}
    for section in checklist_sections(data):
        for char in section:
            if char not in seen and _font_lacks(char):
                seen[char] = None
    return "".join(seen)


def drawable(html: str) -> str:
    """The text with every character the font lacks written as its code point (Qt would drop it from the page
    and from the PDF's text layer without a word): nothing the user typed disappears from paper."""
    if all(not _font_lacks(char) for char in set(html)):
        return html
    return "".join(f"[U+{ord(char):04X}]" if _font_lacks(char) else char for char in html)


def _sid_text(data: ChecklistInput, label: str) -> str:
    sid = data.sids.get(label)
    if sid is None:
        return messages()("cli.sid_none", data.lang)
    return sid.masked() if data.mask_sids else sid.value


def _state_cell(state: State, lang: Lang, key: str | None = None) -> str:
    text = escape(messages()(key or f"state.{state.value}", lang))
    colour = {State.MISSED: "#b3261e", State.OVERDUE: "#8a5300", State.DONE: "#1b5e20", State.NOT_YET: "#555555",
              State.CLOSED: "#555555"}.get(state, "#000000")
    return f'<td class="state" style="color:{colour}; white-space: nowrap">{text}</td>'


def _procedure_html(status: ProcedureStatus, data: ChecklistInput) -> str:
    m, lang, program = messages(), data.lang, data.plan.program
    procedure = status.procedure
    rows = [
        f'<tr><td colspan="4" class="proc"><b>{escape(procedure.title(lang))}</b> '
        f'— {escape(m(f"state.{status.state.value}", lang))}</td></tr>'
    ]
    reasons = " ".join(r.render(lang) for r in status.reasons)
    note = f"{escape(m('cli.reason', lang))}: {escape(reasons)}"
    if procedure.source != MAIN_SOURCE:
        note += f"<br/>{escape(m('cli.source', lang))}: {escape(program.source_label(procedure.source)(lang))}"
    for conflict in procedure.conflicts:
        note += f"<br/>{escape(conflict_line(program, conflict, lang))}"
    rows.append(f'<tr><td></td><td colspan="3" class="reason">{note}</td></tr>')
    if (now := what_now_line(program, status, lang)) is not None:
        rows.append(f'<tr><td></td><td colspan="3" class="now">{escape(now)}</td></tr>')
    rows += [f'<tr><td></td><td colspan="3" class="now">{escape(note)}</td></tr>'
             for note in note_lines(program, status, lang)]
    for step in status.steps:
        box = BOX_DONE if step.state is State.DONE else BOX_OPEN
        deadline = deadline_cell(step, lang)
        text = escape(step.step.text(lang))
        if step.available_from is not None:
            start = format_moment(step.available_from, lang)
            text += f' <span class="id">({escape(m("cli.from", lang))} {start})</span>'
        if step.blocked_by:
            blocker = program.procedure(step.blocked_by).title(lang)
            text += f'<br/><span class="id">{escape(m("cli.blocked", lang, procedure=blocker))}</span>'
        if step.until is not None:
            deadline = " / ".join(step_when(step, lang)[1 if step.available_from else 0:])
        if (left := what_is_left_line(step, lang)) is not None:
            text += f'<br/><span class="id">{escape(left)}</span>'
        rows.append(f'<tr><td class="box">{box}</td><td>{text}</td><td class="deadline">{escape(deadline)}</td>'
                    f"{_state_cell(step.state, lang, step.state_key)}</tr>")
    if procedure.items:
        rows.append(f'<tr><td></td><td colspan="3">{_items_html(status, data)}</td></tr>')
    return "".join(rows)


def _items_html(status: ProcedureStatus, data: ChecklistInput) -> str:
    m, lang, program = messages(), data.lang, data.plan.program
    procedure = status.procedure
    assert procedure.mail_to is not None
    to = program.contact(procedure.mail_to).email or ""
    rows = []
    for item_id in procedure.items:
        item = program.item(item_id)
        if item.kind == "sid":
            value = _sid_text(data, status.accounts[0])
        else:
            value = data.item_values.get(item_id, "").strip() or "&nbsp;"
        shown = value if value == "&nbsp;" else escape(value)
        rows.append(f'<tr><td class="item" width="40%">{escape(item.label(lang))}</td>'
                    f'<td class="blank" width="60%">{shown}</td></tr>')
    heading = escape(m("pdf.items", lang, to=to))
    table = f'<table class="items" width="100%" cellspacing="0" cellpadding="3">{"".join(rows)}</table>'
    return f'<p class="items">{heading}</p>{table}'


COVER_OWNERS = 6  # owners named on the cover; the rest are counted


def _owners_text(owners: Sequence[str], lang: Lang) -> str:
    """The owners' addresses as the cover lists them: the first six, then how many more."""
    shown = ", ".join(owners[:COVER_OWNERS])
    rest = len(owners) - COVER_OWNERS
    return f"{shown} {messages()('pdf.owners_more', lang, count=rest)}" if rest > 0 else shown


def _cover_html(data: ChecklistInput) -> str:
    """The first page: who and what it covers, the steps by state, the next deadlines (as the calendar has
    them: one line per owner, step and deadline, with its accounts)."""
    from kwc_desktop.services.calendar import open_deadlines

    m, lang, plan = messages(), data.lang, data.plan
    owners = [o.owner.email for o in plan.owners]
    accounts = sum(len(o.accounts) for o in plan.owners)
    companies = sorted({c for c in data.companies.values() if c})
    facts = [(m("pdf.companies", lang), ", ".join(companies) or "&nbsp;"),
             (m("pdf.owners", lang), _owners_text(owners, lang) or "&nbsp;"),
             (m("pdf.accounts", lang), str(accounts))]
    cells = "".join(f'<tr><td class="item" width="30%">{escape(k)}</td>'
                    f'<td width="70%">{escape(v) if v != "&nbsp;" else v}</td></tr>' for k, v in facts)
    states = "".join(f'<tr><td class="item" width="30%">{escape(m(f"state.{s.value}", lang))}</td>'
                     f'<td width="70%"><b>{plan.count(s)}</b></td></tr>' for s in State)
    upcoming = open_deadlines(plan)[:8]
    next_rows = "".join(
        f'<tr><td width="30%" style="white-space: nowrap">{escape(format_moment(r.deadline, lang))}</td>'
        f"<td width=\"70%\">{escape(r.procedure.title(lang))}: {escape(r.step.step.text(lang))}"
        f" ({escape(', '.join(r.accounts))})</td></tr>" for r in upcoming if r.deadline is not None)
    upcoming_html = (f'<table class="cover" width="100%" cellspacing="0" cellpadding="3">{next_rows}</table>'
                     if next_rows else f"<p>{escape(m('pdf.no_upcoming', lang))}</p>")
    return (f'<table class="cover" width="100%" cellspacing="0" cellpadding="4">{cells}</table>'
            f"<h2>{escape(m('pdf.by_state', lang))}</h2>"
            f'<table class="cover" width="100%" cellspacing="0" cellpadding="3">{states}</table>'
            f"<h2>{escape(m('pdf.next_deadlines', lang))}</h2>{upcoming_html}")


SIGNOFF_ROLES = ("pdf.approved_by", "pdf.checked_by", "pdf.made_by")  # left to right, as a Japanese office has them
DATE_GAP = "\u00a0" * 10  # no-break spaces: a blank the layout keeps (other spaces, U+3000 too, fold into one)
_LINE = "border-width: 1px; border-style: solid; border-color: #999999"
_UNDERLINE = "border-bottom-width: 1px; border-bottom-style: solid; border-bottom-color: #999999"


def _signoff_html(lang: Lang) -> str:
    """承認者 / 確認者 / 作成者, left to right as a Japanese office signs (the approver's box first, the
    preparer's last): each with its seal square, a name line and a date line with 年 月 日 to fill in. The
    same order in English: it is the same office's form. One table inside another, so that the page cut
    keeps it whole (_block_spans), with its heading."""
    m = messages()
    roles = [m(key, lang) for key in SIGNOFF_ROLES]
    # Per role three columns (the seal square in the middle one, about 21 mm wide) and a gap between roles.
    gap = '<td width="2%"></td>'

    def row(cells: list[str]) -> str:
        return "<tr>" + gap.join(cells) + "</tr>"

    head = row([f'<td colspan="3" class="signrole" align="center" style="{_LINE}">{escape(r)}</td>' for r in roles])
    seal = row(['<td width="10%"></td>'
                f'<td width="12%" class="seal" align="center" style="{_LINE}"><br/>{escape(m("pdf.seal", lang))}'
                '<br/><br/></td><td width="10%"></td>'] * len(roles))
    name = row([f'<td colspan="3" style="{_UNDERLINE}">{escape(m("pdf.name", lang))}:</td>'] * len(roles))
    when = escape(m("pdf.date_guide", lang, gap=DATE_GAP))
    date_row = row([f'<td colspan="3" style="{_UNDERLINE}">{escape(m("pdf.date", lang))}:{DATE_GAP}{when}</td>']
                   * len(roles))
    table = f'<table width="100%" cellspacing="0" cellpadding="3" border="0">{head}{seal}{name}{date_row}</table>'
    return ('<table width="100%" cellspacing="0" cellpadding="0" border="0" style="margin-top: 14px"><tr><td>'
            f'<p class="signtitle">{escape(m("pdf.signoff_title", lang))}</p>{table}</td></tr></table>')


def checklist_sections(data: ChecklistInput) -> list[str]:
    """The checklist as documents that each start a page: the cover, then one per owner (the last with the
    contacts and the rest). Laid out and painted one by one, a page never scans the whole checklist."""
    m, lang, plan = messages(), data.lang, data.plan
    program = plan.program
    tz, zone = program.tz, program.zone_label(lang)
    parts = [
        f"<h1>{escape(m('pdf.title', lang))}</h1>",
        f'<p class="meta">{escape(program.title(lang))}<br/>'
        f"{escape(m('pdf.generated_at', lang))}: {format_instant(data.generated_at, tz, lang)} ({escape(zone)})<br/>"
        f"{escape(m('cli.as_of', lang))}: {format_instant(plan.as_of, tz, lang)} ({escape(zone)})</p>",
    ]
    if all_deadlines_passed(plan):
        parts.append(f'<p class="notice">{escape(m("cli.all_passed", lang))}</p>')
    parts.append(_cover_html(data))
    parts.append(_signoff_html(lang))
    # QTextDocument takes column widths from width attributes (not CSS) on the first row.
    header = (f'<tr><th width="4%">{BOX_DONE}</th><th width="60%">{escape(m("pdf.step", lang))}</th>'
              f'<th width="24%">{escape(m("cli.deadline", lang))}</th>'
              f'<th width="12%">{escape(m("pdf.state", lang))}</th></tr>')
    sections: list[list[str]] = [parts]
    for owner in plan.owners:
        # Each owner starts a page (a document of its own): one sheet (or more) per owner to sign off.
        parts = []
        sections.append(parts)
        parts.append(f"<h2>{escape(m('cli.owner', lang))}: {escape(owner.owner.email)}</h2>")
        if owner.procedures:
            rows = "".join(_procedure_html(s, data) for s in owner.procedures)
            parts.append(f'<table class="steps" width="100%" cellspacing="0" cellpadding="3">{header}{rows}</table>')
        for account in owner.accounts:
            label = account.account.label
            parts.append(f"<h3>{escape(m('cli.account', lang))}: {escape(label)} ({escape(_sid_text(data, label))})"
                         f" — {escape(account.kind.label(lang))}</h3>")
            if not account.procedures:
                note = m("cli.no_procedures", lang) if account.kind.transfers else account.kind.note(lang)
                parts.append(f"<p>{escape(note)}</p>")
                continue
            rows = "".join(_procedure_html(s, data) for s in account.procedures)
            parts.append(f'<table class="steps" width="100%" cellspacing="0" cellpadding="3">{header}{rows}</table>')
    parts.append(f"<h2>{escape(m('pdf.contacts', lang))}</h2><ul>")
    parts += [f"<li><b>{escape(c.name(lang))}</b>{' — ' + escape(c.email) if c.email else ''}: "
              f"{escape(c.channel(lang))}{' ' + escape(c.url) if c.url else ''}</li>" for c in program.contacts]
    rule = program.inquiry_rule(lang) if program.inquiry_rule else m("pdf.inquiry_rule", lang, marker="{marker}")
    parts.append(f"</ul><p>{escape(fill(rule, {'marker': program.inquiry_marker}))}</p>")
    parts.append(f"<h2>{escape(m('pdf.unchanged', lang))}</h2><ul>")
    parts += [f"<li>{escape(e.text(lang))}</li>" for e in program.unchanged]
    parts.append(f"</ul><h2>{escape(m('pdf.changed', lang))}</h2><ul>")
    parts += [f"<li>{escape(e.text(lang))}</li>" for e in program.changed]
    if any(s.url for s in program.sources):
        parts.append(f"</ul><h2>{escape(m('pdf.sources', lang))}</h2><ul>")
        parts += [f"<li>{escape(s.label(lang))}: {escape(s.url)}</li>" for s in program.sources if s.url]
    parts.append("</ul>")
    style = (
        "h1 { font-size: 16pt; } h2 { font-size: 12pt; margin-top: 14px; } h3 { font-size: 10.5pt; margin-top: 10px; }"
        " p.meta { color: #333333; } p.notice { color: #8a5300; font-weight: bold; }"
        " table.steps { border-width: 1px; border-style: solid; border-color: #999999; }"
        " th { background-color: #e8eef5; text-align: left; } td.proc { background-color: #f4f4f4; }"
        " td.box { width: 18px; font-size: 12pt; } td.deadline { width: 150px; } td.state { width: 90px; }"
        " td.reason, span.id { color: #555555; font-size: 8.5pt; } td.item { width: 210px; color: #333333; }"
        " td.now { color: #8a5300; font-size: 8.5pt; }"
        " td.blank { border-bottom: 1px solid #999999; } p.items { margin-top: 4px; font-size: 8.5pt; }"
        " p.sign { margin-top: 24px; } table.cover { border-width: 1px; border-style: solid; border-color: #999999; }"
        " td.seal { color: #999999; font-size: 9pt; } td.signrole { background-color: #e8eef5; font-weight: bold; }"
        " p.signtitle { font-size: 12pt; font-weight: bold; margin-top: 14px; margin-bottom: 4px; }"
    )
    return [f"<html><head><style>{style}</style></head><body>{''.join(section)}</body></html>" for section in sections]


LONG_PAGE = 1.0e7  # device pixels: a page no checklist fills (300 dpi: about 850 m)
CUT_MARGIN = 2.0  # device pixels: each page's clip stays this far inside its cuts


def _block_spans(document: QTextDocument) -> list[tuple[float, float]]:
    """Every paragraph (a table cell's too) as (top, bottom) in document coordinates; a table nested in a
    cell as one. A page never cuts one: Qt paints the whole paragraph under the page's clip, so a cut one
    would be in the text layer of both pages (search and copy would find its lines twice)."""
    layout = document.documentLayout()
    root = document.rootFrame()
    spans: list[tuple[float, float]] = []
    groups: dict[int, tuple[float, float]] = {}  # a table inside a table cell (the seven items): kept whole
    block = document.begin()
    while block.isValid():
        rect = layout.blockBoundingRect(block)
        frame = document.frameAt(block.position())
        outer = frame.parentFrame() if frame is not None else None
        if rect.height() > 0:
            if outer is not None and outer != root:
                key = id(frame)
                top, bottom = groups.get(key, (rect.top(), rect.bottom()))
                groups[key] = (min(top, rect.top()), max(bottom, rect.bottom()))
            else:
                spans.append((rect.top(), rect.bottom()))
        block = block.next()
    return sorted(spans + list(groups.values()))


def page_cuts(lines: Sequence[tuple[float, float]], height: float, page: float,
              forced: Sequence[float] = ()) -> list[tuple[float, float]]:
    """Pages as (top, bottom): each as full as it can be without cutting one of `lines` (paragraphs) in
    two (one taller than a page is cut where the page ends), and a new page at each forced cut.

    Each page looks only at the lines that can reach it (found by bisection on their tops): a checklist
    of 550 pages and 30,000 lines is cut in milliseconds, not seconds."""
    from bisect import bisect_left

    ordered = sorted(lines)
    tops = [top for top, _bottom in ordered]
    tallest = max((bottom - top for top, bottom in ordered), default=0.0)
    cuts: list[tuple[float, float]] = []
    start = 0.0
    pending = sorted(f for f in forced if f > 0)
    while start < height - CUT_MARGIN:
        limit = min(start + page, height)
        while pending and pending[0] <= start + CUT_MARGIN:
            pending.pop(0)
        if pending and pending[0] < limit:
            limit = pending[0]
        cut = limit
        reach = bisect_left(tops, start - tallest - CUT_MARGIN)  # no line above this one reaches the page
        while True:
            end = bisect_left(tops, cut - CUT_MARGIN)
            crossing = [top for top, bottom in ordered[reach:end] if bottom > cut + CUT_MARGIN]
            if not crossing:
                break
            higher = min(crossing)
            if higher <= start + CUT_MARGIN:  # a line taller than what is left of the page
                cut = limit
                break
            cut = higher
        # Halfway between the paragraph above and the one below: a table cell reaches past its text by
        # its padding, and Qt paints (into the text layer too) every cell that touches the page.
        first, after = bisect_left(tops, start), bisect_left(tops, cut)
        above = max((bottom for _top, bottom in ordered[first:after] if bottom <= cut), default=None)
        below = tops[after] if after < len(tops) else None
        if above is not None and below is not None and above > start + CUT_MARGIN and cut < height:
            cut = min((above + below) / 2, limit)
        # A page with no paragraph on it (the gap between a full page and a forced cut) is not printed.
        first = bisect_left(tops, start - CUT_MARGIN)
        empty = (first >= len(tops) or tops[first] >= cut - CUT_MARGIN) and not any(
            top < start and bottom > start + CUT_MARGIN for top, bottom in ordered[reach:first])
        if not empty or not cuts:
            cuts.append((start, cut))
        else:
            cuts[-1] = (cuts[-1][0], cut)  # the previous page reaches to the cut: nothing is lost
        start = cut
    return cuts or [(0.0, page)]


def render_checklist(device: QPagedPaintDevice, data: ChecklistInput, progress: Progress | None = None,
                     stop: Callable[[], bool] | None = None) -> int:
    """Lay the checklist out on `device` (a QPdfWriter or a QPrinter) and paint it; the page count.
    Runs on any thread (the wizard uses a background job); `progress` hears of each page, and `stop`
    returning True ends it with ChecklistCancelled before the next one."""
    device.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
                                     QPageLayout.Unit.Millimeter))
    font = QFont(checklist_font_family())
    font.setPointSizeF(FONT_POINTS)
    footer = device.logicalDpiY() * FOOTER_MM / 25.4
    page = QSizeF(device.width(), device.height() - footer)
    documents: list[tuple[QTextDocument, list[tuple[float, float]]]] = []
    for html in checklist_sections(data):
        document = QTextDocument()
        document.documentLayout().setPaintDevice(device)  # else the text comes out at a third of its size
        document.setDefaultFont(font)
        document.setDocumentMargin(0)
        document.setHtml(drawable(html))
        # Laid out as one long page (our own page size: no Qt margins, no Qt page numbers), then cut into
        # pages between paragraphs: Qt's own pagination cuts a table row through its text, and the text
        # layer then holds the cut lines on both pages.
        document.setPageSize(QSizeF(page.width(), LONG_PAGE))
        documents.append((document, page_cuts(_block_spans(document), document.size().height(), page.height())))
    pages = sum(len(cuts) for _document, cuts in documents)
    painter = QPainter()
    if not painter.begin(device):
        documents.clear()
        raise PaintFailed()
    index = 0
    finished = False
    try:
        painter.setFont(font)
        for document, cuts in documents:
            for top, bottom in cuts:
                if stop is not None and stop():
                    raise ChecklistCancelled()
                if index:
                    device.newPage()
                painter.save()
                painter.translate(0, -top)
                # Inside the cut at both ends: a paragraph that ends exactly at a cut counts as touching the
                # page below it (and would be painted, clipped, into that page's text layer too).
                document.drawContents(painter, QRectF(0, top + CUT_MARGIN, page.width(),
                                                      bottom - top - 2 * CUT_MARGIN))
                painter.restore()
                painter.drawText(QRectF(0, page.height(), page.width(), footer),
                                 Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom,
                                 messages()("pdf.page", data.lang, page=index + 1, pages=pages))
                index += 1
                if progress is not None:
                    progress((index, pages))
        finished = True
    finally:
        ended = painter.end()
        # Freed here, on the thread that made them (a traceback handed to another thread would keep them,
        # and Qt objects with timers must die on their own thread).
        documents.clear()
    if finished and not ended:
        raise PaintFailed()
    return pages


def write_checklist_pdf(path: Path, data: ChecklistInput, progress: Progress | None = None,
                        stop: Callable[[], bool] | None = None) -> tuple[int, OutputFile]:
    """Write the PDF whole or not at all (services/files.replace_output: a temp file beside it, checked, then
    renamed): no partial file on any failure, nor when stopped. The page count, and where it went."""
    try:
        output_file(path)
    except UserError as e:
        raise ChecklistWriteFailed(path, e.message(data.lang)) from None

    def paint(temp: Path) -> int:
        writer = QPdfWriter(str(temp))
        writer.setResolution(300)
        writer.setTitle(messages()("pdf.title", data.lang))
        writer.setCreator("kwc-desktop")
        try:
            return render_checklist(writer, data, progress, stop)
        finally:
            del writer  # closes the file

    try:
        return replace_output(path, paint, _verify_pdf, prefix=".checklist-")
    except (PaintFailed, IncompletePdf):
        raise ChecklistWriteFailed(path, messages()("pdf.incomplete", data.lang)) from None
    except (ChecklistCancelled, ChecklistWriteFailed):
        raise
    except UserError as e:  # the file could not be made, written or renamed (full disk, read-only, …)
        raise ChecklistWriteFailed(path, e.message(data.lang)) from None


class IncompletePdf(UserError):
    def __init__(self) -> None:
        super().__init__("pdf.incomplete")


def _verify_pdf(temp: Path) -> None:
    """Qt reports a failed write weakly (QPdfWriter keeps painting after its file stops taking bytes): what
    reached the file must be a whole PDF — its header at the start, its end marker at the end."""
    with open(temp, "rb") as f:
        head = f.read(5)
        size = f.seek(0, os.SEEK_END)
        f.seek(max(0, size - 64))
        tail = f.read()
    if size == 0 or head != b"%PDF-" or not tail.rstrip().endswith(b"%%EOF"):
        raise IncompletePdf()
