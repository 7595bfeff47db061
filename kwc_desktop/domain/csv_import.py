"""Accounts from a CSV file as Excel in Japan saves it: UTF-8 (with or without BOM) or Shift_JIS/CP932."""

from __future__ import annotations

from collections.abc import Collection

from kwc_desktop.domain.accounts import parse_email, parse_label
from kwc_desktop.domain.limits import MAX_ACCOUNTS, MAX_CSV_BYTES
from kwc_desktop.domain.program import Program
from kwc_desktop.domain.records import record
from kwc_desktop.domain.secret_shape import mask_secrets
from kwc_desktop.domain.sid import Sid, parse_sid
from kwc_desktop.domain.text import UserError

MAX_ROWS = MAX_ACCOUNTS
# Header names accepted for each column (compared after trimming and case folding).
COLUMNS = {
    "label": ("label", "ラベル", "名前", "name"),
    "owner_email": ("owner_email", "owner email", "オーナーメールアドレス", "email", "メールアドレス"),
    "sid": ("account_sid", "account sid", "sid", "accountsid"),
    "kind": ("kind", "種類", "type"),
}


@record
class ImportedAccount:
    line: int
    label: str
    owner_email: str
    sid: Sid
    kind: str


@record
class RejectedRow:
    line: int
    text: str  # the row as read, with the SID masked (shown in the preview, never logged)
    error: UserError


@record
class CsvPreview:
    encoding: str
    accepted: tuple[ImportedAccount, ...]
    rejected: tuple[RejectedRow, ...]


def decode_csv(raw: bytes) -> tuple[str, str]:
    """Text and the encoding it was in: UTF-8 (BOM or not), UTF-16 with BOM, else CP932."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:  # an odd number of bytes, a lone surrogate …
            raise UserError("csv.bad_encoding") from None
    try:
        return raw.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp932"), "Shift_JIS (CP932)"
    except UnicodeDecodeError:
        raise UserError("csv.bad_encoding") from None


def _mask(cells: list[str]) -> str:
    """The row as the preview shows it: SIDs masked, anything token-shaped hidden, long cells cut."""
    shown = []
    for cell in cells[:12]:
        try:
            shown.append(parse_sid(cell).masked())
        except UserError:
            text = mask_secrets(cell.strip())
            shown.append(text if len(text) <= 64 else text[:63] + "…")
    return ", ".join(shown) + (", …" if len(cells) > 12 else "")


def parse_accounts_csv(raw: bytes, program: Program, existing_labels: Collection[str] = ()) -> CsvPreview:
    """Read every row; accept what is valid, reject the rest with the reason (nothing is half-read)."""
    import csv
    import io

    if len(raw) > MAX_CSV_BYTES:
        raise UserError("file.too_large", max=f"{MAX_CSV_BYTES // (1024 * 1024)} MiB")
    text, encoding = decode_csv(raw)
    sample = text[:4096]
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    read = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    try:
        # Row by row, stopping as soon as there are too many: a million rows are refused at row 5,002.
        for cells in read:
            if any(c.strip() for c in cells):
                rows.append((read.line_num, cells))
                if len(rows) > MAX_ROWS + 1:
                    raise UserError("csv.too_many_rows", max=MAX_ROWS)
    except csv.Error as e:
        if "field larger than field limit" in str(e):
            raise UserError("csv.cell_too_long", line=read.line_num, max=f"{csv.field_size_limit() // 1024} KiB") \
                from None
        raise UserError("csv.bad_row", line=read.line_num) from None
    if not rows:
        raise UserError("csv.empty")
    header_line, header = rows[0]
    names = [h.strip().casefold() for h in header]
    index = {key: next((names.index(a.casefold()) for a in aliases if a.casefold() in names), None)
             for key, aliases in COLUMNS.items()}
    for required in ("owner_email", "sid"):
        if index[required] is None:
            raise UserError("csv.missing_column", column=COLUMNS[required][0], line=header_line)
    kinds = {k.id for k in program.account_kinds}
    accepted: list[ImportedAccount] = []
    rejected: list[RejectedRow] = []
    labels = set(existing_labels)
    sids: set[Sid] = set()

    def cell(row: list[str], key: str) -> str:
        position = index[key]
        return row[position].strip() if position is not None and position < len(row) else ""

    for line, row in rows[1:]:
        try:
            sid = parse_sid(cell(row, "sid"))
            email = parse_email(cell(row, "owner_email"))
            label = parse_label(cell(row, "label")) if cell(row, "label") else sid.masked()
            kind = cell(row, "kind") or program.default_kind
            if kind not in kinds:
                raise UserError("csv.bad_kind", value=kind[:40], choices=", ".join(sorted(kinds)))
            if sid in sids:
                raise UserError("csv.duplicate_sid")
            if label in labels:
                raise UserError("csv.duplicate_label", value=label)
        except UserError as error:
            rejected.append(RejectedRow(line, _mask(row), error))
            continue
        sids.add(sid)
        labels.add(label)
        accepted.append(ImportedAccount(line, label, email, sid, kind))
    return CsvPreview(encoding, tuple(accepted), tuple(rejected))
