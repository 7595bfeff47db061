"""Bilingual text, the language type and the catalogue of the app's own messages."""

from __future__ import annotations

import string
from collections.abc import Collection, Mapping
from functools import cache, lru_cache
from typing import Any, Literal, cast

from kwc_desktop.domain.patterns import Pattern
from kwc_desktop.domain.records import record
from kwc_desktop.domain.secret_shape import mask_secrets
from kwc_desktop.resources import resource_path

Lang = Literal["ja", "en"]
LANGS: tuple[Lang, ...] = ("ja", "en")


def as_lang(value: str) -> Lang:
    """The language a code names ("ja", "ja_JP", "en-US" …); English for anything else."""
    return "ja" if value.lower().replace("-", "_").split("_")[0] == "ja" else "en"


@record
class Text:
    """One text in Japanese and English."""

    ja: str
    en: str

    def __call__(self, lang: Lang) -> str:
        return self.ja if lang == "ja" else self.en


class Messages:
    """The app's own short texts (errors, states, headings), keyed like `sid.wrong_prefix`."""

    def __init__(self, entries: Mapping[str, Text]) -> None:
        self._entries = dict(entries)

    def __contains__(self, key: str) -> bool:
        return key in self._entries

    def keys(self) -> list[str]:
        return list(self._entries)

    def text(self, key: str) -> Text:
        return self._entries[key]

    def __call__(self, key: str, lang: Lang, /, **params: object) -> str:
        template = self._entries[key](lang)
        if "|" in template:  # English plurals: {count:one|other} is the word for that count
            template = _PLURAL.sub(lambda m: m.group(2) if params.get(m.group(1)) in (1, -1) else m.group(3),
                                   template)
        return template.format(**{name: shown(value) for name, value in params.items()})


_PLURAL = Pattern(r"\{(\w+):([^{}|:]*)\|([^{}|:]*)\}")


class Verbatim(str):
    """A value a message quotes exactly as it is: the Account SID in the subject of the mail the user sends
    to Twilio, which must carry it whole. Everything else is `shown`."""

    __slots__ = ()


def shown(value: object) -> object:
    """A value as a message may quote it: anything shaped like a SID, API key or Auth Token masked
    (AC12…cdef), and control and format characters written as escapes (\\n, \\x00, \\u202e), so a quoted value
    can neither put a secret on the screen nor break a one-line message across lines."""
    if not isinstance(value, str) or isinstance(value, Verbatim):
        return value
    value = mask_secrets(value)
    if value.isprintable():
        return value
    return "".join(c if c.isprintable() or c.isspace() and c not in "\n\r\t\v\f\x1c\x1d\x1e\x1f\x85\u2028\u2029"
                   else c.encode("unicode_escape").decode("ascii") for c in value)


# Control characters: C0 (tab and line feed are the only ones a text may hold), DEL, C1, the line and paragraph
# separators, the bidi controls (U+202E shows what follows reversed) and lone surrogates (no file can hold them).
_CONTROL = Pattern("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")
TEXT_WHITESPACE = "\t\n"


def control_character(text: str, allowed: str = "") -> str | None:
    """The first control character in `text` that is not one of `allowed`; None: there is none."""
    if text.isprintable() or _CONTROL.search(text) is None:  # nearly every text: one scan in C
        return None
    for found in _CONTROL.compiled().finditer(text):
        if found.group() not in allowed:
            return found.group()
    return None


def printable(text: str, keep: str = TEXT_WHITESPACE) -> str:
    """`text` as it may leave the app (a terminal, a calendar, a report file): every control character but those
    in `keep` written as its escape (\\x1b, \\u202e), so none reaches the reader raw."""
    if control_character(text, keep) is None:
        return text
    return _CONTROL.sub(lambda m: m.group() if m.group() in keep else _escape(m.group()), text)


def json_text(value: Any, indent: int | None = 2) -> str:
    """`value` as the JSON the app prints and saves (reports, `--json`): UTF-8 text as it is, but no control
    character raw — JSON escapes only C0, so DEL, C1, the bidi controls and lone surrogates (which no UTF-8 file
    can hold) are written as \\u escapes too. Read back, the value is the same."""
    import json

    text = json.dumps(value, ensure_ascii=False, indent=indent)
    if _CONTROL.search(text) is None:
        return text
    return _CONTROL.sub(lambda m: m.group() if m.group() == "\n" else f"\\u{ord(m.group()):04x}", text)


def _escape(character: str) -> str:
    return character.encode("unicode_escape").decode("ascii")


class TemplateError(ValueError):
    """A text that is not a plain template; the message quotes the offending piece, cut short."""


MAX_QUOTED = 40  # characters of an offending piece a message quotes
_PIECE = Pattern(r"\{\{|\}\}|\{[^{}]*\}|[{}]")


def _quoted(piece: str) -> str:
    return piece if len(piece) <= MAX_QUOTED else piece[:MAX_QUOTED] + "…"


@lru_cache(maxsize=4096)
def _pieces(template: str) -> tuple[tuple[str, str | None], ...]:
    """The template as (literal text, field or None) pairs: `{{` and `}}` are one brace each, `{name}` a field
    (whatever is between the braces), anything else a lone brace, refused."""
    if "{" not in template and "}" not in template:
        return ((template, None),)
    pieces: list[tuple[str, str | None]] = []
    literal: list[str] = []
    end = 0
    for match in _PIECE.compiled().finditer(template):
        literal.append(template[end:match.start()])
        end = match.end()
        token = match.group()
        if token in ("{{", "}}"):
            literal.append(token[0])
        elif len(token) == 1:
            raise TemplateError(f"has a lone '{token}' ('{_quoted(template[match.start():])}'; "
                                f"write {token}{token} for a brace)")
        else:
            pieces.append(("".join(literal), token[1:-1]))
            literal = []
    literal.append(template[end:])
    pieces.append(("".join(literal), None))
    return tuple(pieces)


def template_fields(template: str, allowed: Collection[str]) -> frozenset[str]:
    """The fields a program text quotes. Only plain `{name}` with a name in `allowed`: no format spec, no conversion,
    no attribute or index, no other name (the app fills texts itself and never lets one run str.format's
    mini-language); `{{` and `}}` are braces. Raises TemplateError quoting the piece."""
    fields = frozenset(name for _, name in _pieces(template) if name is not None)
    for name in sorted(fields):
        if name not in allowed:
            may = ", ".join(f"{{{a}}}" for a in sorted(allowed)) or "no field"
            raise TemplateError(f"quotes '{_quoted('{' + name + '}')}', which is not a field it may quote ({may}; "
                                "{{ and }} write braces)")
    return fields


def fill(template: str, values: Mapping[str, object]) -> str:
    """A program text with its fields filled: each `{name}` replaced by str(values[name]) and `{{`/`}}` by one
    brace. Nothing else is interpreted (no format spec can run); a field missing from `values` is a KeyError."""
    return "".join(literal + (str(values[name]) if name is not None else "") for literal, name in _pieces(template))


def placeholders(template: str) -> set[str]:
    """Names of the `{name}` fields in a format string."""
    if "{" not in template and "}" not in template:
        return set()  # most texts: the program's 500 are checked at every start, and this is 4x faster
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _flatten(prefix: str, table: Mapping[str, Any], out: dict[str, Text]) -> None:
    if set(table) == {"ja", "en"}:
        ja, en = table["ja"], table["en"]
        if not (isinstance(ja, str) and isinstance(en, str) and ja and en):
            raise ValueError(f"messages: '{prefix}' needs non-empty ja and en texts")
        if placeholders(ja) != placeholders(en):
            raise ValueError(f"messages: '{prefix}' has different {{fields}} in ja and en")
        out[prefix] = Text(ja=ja, en=en)
        return
    for key, value in table.items():
        if not isinstance(value, dict):
            raise ValueError(f"messages: '{prefix}.{key}' is not a ja/en table")
        _flatten(f"{prefix}.{key}" if prefix else key, cast(Mapping[str, Any], value), out)


@cache
def messages() -> Messages:
    """The catalogue in resources/messages.toml, loaded and checked once (on the first message shown: the
    first paint shows none, so the TOML parser is not on its way)."""
    import tomllib

    with resource_path("messages.toml").open("rb") as f:
        data = tomllib.load(f)
    entries: dict[str, Text] = {}
    _flatten("", data, entries)
    return Messages(entries)


class UserError(Exception):
    """An error the user caused and can fix; it renders in either language from the catalogue."""

    def __init__(self, key: str, /, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(key)

    def message(self, lang: Lang) -> str:
        return messages()(self.key, lang, **self.params)

    def __str__(self) -> str:
        return self.message("en")
