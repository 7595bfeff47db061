"""Bilingual text, the language type and the catalogue of the app's own messages."""

from __future__ import annotations

import string
from collections.abc import Mapping
from functools import cache
from typing import Any, Literal, cast

from kwc_desktop.domain.records import record
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
        return self._entries[key](lang).format(**{name: shown(value) for name, value in params.items()})


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
    from kwc_desktop.domain.limits import mask_secrets

    value = mask_secrets(value)
    if value.isprintable():
        return value
    return "".join(c if c.isprintable() or c.isspace() and c not in "\n\r\t\v\f\x1c\x1d\x1e\x1f\x85\u2028\u2029"
                   else c.encode("unicode_escape").decode("ascii") for c in value)


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
