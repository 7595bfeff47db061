"""The seven items for invoice payment and high-quality SMS: validation and the email draft."""

from __future__ import annotations

from kwc_desktop.domain.accounts import parse_email
from kwc_desktop.domain.limits import MAX_TEXT, refuse_secret
from kwc_desktop.domain.program import Item, Program
from kwc_desktop.domain.records import record
from kwc_desktop.domain.sid import Sid, parse_sid
from kwc_desktop.domain.text import Lang, UserError, Verbatim, fill, messages

MAX_ITEM_LENGTH = MAX_TEXT


def check_item(item: Item, text: str) -> str:
    """The value to send, or a UserError naming the problem (English fields: printable ASCII only)."""
    value = text.strip()
    if not value:
        raise UserError("billing.required")
    if len(value) > MAX_ITEM_LENGTH:
        raise UserError("billing.too_long", max=MAX_ITEM_LENGTH)
    if item.kind == "sid":
        return parse_sid(value).value
    if item.kind == "email":
        return parse_email(value)
    if item.kind == "text-en":
        bad = next((c for c in value if not (" " <= c <= "~")), None)
        if bad is not None:
            raise UserError("billing.not_ascii", char=bad)
    return refuse_secret(value)


@record
class MailDraft:
    to: str
    subject: str
    body: str

    def mailto(self) -> str:
        from urllib.parse import quote

        return f"mailto:{self.to}?subject={quote(self.subject)}&body={quote(self.body)}"

    def eml(self) -> bytes:
        from email.message import EmailMessage  # 13 ms to import: only when a draft is saved

        message = EmailMessage()
        message["To"] = self.to
        message["Subject"] = self.subject
        message["X-Unsent"] = "1"  # Outlook and others open it as a draft to send
        message.set_content(self.body, charset="utf-8")
        return bytes(message)


def mail_draft(program: Program, procedure_id: str, sid: Sid, values: dict[str, str], lang: Lang) -> MailDraft:
    """The mail to kwc-migration@twilio.com with the seven items, in the user's language."""
    procedure = program.procedure(procedure_id)
    assert procedure.mail_to is not None
    to = program.contact(procedure.mail_to).email or ""
    m = messages()
    greeting = program.mail_greeting(lang) if program.mail_greeting else m("mail.greeting", lang)
    intro = program.mail_intro(lang) if program.mail_intro else m("mail.intro", lang, procedure="{procedure}")
    lines = [greeting, "", fill(intro, {"procedure": procedure.title(lang)}), ""]
    for item_id in procedure.items:
        item = program.item(item_id)
        value = sid.value if item.kind == "sid" else values.get(item_id, "")
        lines.append(f"{item.label(lang)}: {value}")
    lines += ["", m("mail.closing", lang)]
    subject = m("mail.subject", lang, marker=program.inquiry_marker, procedure=procedure.title(lang),
                sid=Verbatim(sid.value))
    return MailDraft(to, subject, "\n".join(lines) + "\n")
