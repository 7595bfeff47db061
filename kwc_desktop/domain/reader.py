"""One way to read a parsed document (a program file, a profile, a progress file): each value is checked
where it is read, and every complaint names its place in the document (`procedures[2] 'hq-sms'.steps[0]`).

A strict reader (a program file, a profile) raises the first problem as a ReadError. A lenient one (a progress
file, which must never stop a start) records the place in `problems` (never the value) and gives the default."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from kwc_desktop.domain.text import Lang, UserError

T = TypeVar("T")
E = TypeVar("E", bound="ReadError")


class ReadError(UserError):
    """A value a reader refused: `where` is its place in the document, `cause` what is wrong with it."""

    def __init__(self, where: str, cause: UserError) -> None:
        super().__init__(cause.key, **cause.params)
        self.where = where
        self.cause = cause

    def message(self, lang: Lang) -> str:
        return f"{self.where}: {self.cause.message(lang)}" if self.where else self.cause.message(lang)

    def within(self: E, prefix: str) -> E:
        """The same complaint, its place inside `prefix` (a file name, say)."""
        return type(self)(f"{prefix}: {self.where}" if self.where else prefix, self.cause)


class Said(UserError):
    """A complaint in the document's own words: a program file is written (in English) by its author, and its
    complaints are for them, the same in either language."""

    def __init__(self, text: str) -> None:
        super().__init__("said", text=text)
        self.text = text

    def message(self, lang: Lang) -> str:
        return self.text


# What a strict reader says of a value that does not fit, in the words of a program file; a reader of another
# document words them its own way (`Reader.wrong`).
WRONG = {
    "missing": "is missing",
    "text": "must be a non-empty string",
    "whole": "must be a whole number ≥ 0",
    "flag": "must be true or false",
    "strings": "must be a list of strings",
    "tables": "must be a list of tables ([[...]])",
    "table": "must be a table",
}


class Reader:
    """Reads one table of a document at a place (`where`); the tables inside it are read by readers of their own,
    their places built from this one (`sep` joins them: "." in a program file, " " in a profile).

    `problems` is None for a strict reader; for a lenient one it is the list every reader of the document adds
    the places it left out to."""

    error: type[ReadError] = ReadError

    def __init__(self, data: Mapping[str, Any], where: str = "", problems: list[str] | None = None,
                 sep: str = ".") -> None:
        self.data = data
        self.where = where
        self.problems = problems
        self.sep = sep

    # --- places and complaints -------------------------------------------------------------------------------

    def place(self, key: str) -> str:
        """Where `key` of this table is: `owners[0].facts` for `facts` in `owners[0]`."""
        return f"{self.where}{self.sep}{key}" if self.where and not self.where.endswith(self.sep) else \
            f"{self.where}{key}"

    def entry(self, key: str, n: int, label: str = "") -> str:
        """Where the n-th table of `key` is: `procedures[2] 'hq-sms'`."""
        return f"{self.place(key)}[{n}]{label}"

    def wrong(self, key: str, problem: str) -> UserError:
        """What is wrong with field `key` (one of WRONG's problems), as this document's readers say it."""
        return Said(f"field '{key}' {WRONG[problem]}")

    def error_at(self, where: str, cause: UserError) -> ReadError:
        """The one error a strict reader raises: the place, and what is wrong there."""
        return self.error(where, cause)

    def refuse(self, key: str, cause: UserError, default: T) -> T:
        """Field `key` does not fit: strict, the error naming this table and the cause; lenient, the field's place
        is recorded and `default` given."""
        if self.problems is None:
            raise self.error(self.where, cause)
        self.problems.append(self.place(key))
        return default

    def note(self, where: str) -> None:
        """A lenient reader's record of a place it left out (a strict reader raises instead)."""
        if self.problems is None:
            raise self.error(where, Said("does not fit"))
        self.problems.append(where)

    def mapping(self, value: Any, where: str) -> Mapping[str, Any]:
        """A table found at `where`: {} for none; a value that is not a table is refused (lenient: {})."""
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            self.note(where)
            return {}
        return value

    # --- values ----------------------------------------------------------------------------------------------

    def has(self, key: str) -> bool:
        return key in self.data

    def raw(self, key: str) -> Any:
        if key not in self.data:
            return self.refuse(key, self.wrong(key, "missing"), None)
        return self.data[key]

    def whole(self, key: str) -> int:
        value = self.raw(key)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            return self.refuse(key, self.wrong(key, "whole"), 0)
        return value

    def flag(self, key: str, default: bool) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            return self.refuse(key, self.wrong(key, "flag"), default)
        return value

    def inner(self: R, data: Mapping[str, Any], where: str) -> R:
        """A reader of a table inside this one, at `where`, reading the same way (strict or lenient)."""
        reader = object.__new__(type(self))
        reader.__dict__ = {**self.__dict__, "data": data, "where": where}
        return reader

    def table(self: R, key: str) -> R:
        value = self.raw(key)
        if not isinstance(value, Mapping):
            value = self.refuse(key, self.wrong(key, "table"), {}) if key in self.data else {}
        return self.inner(value, self.place(key))

    def tables(self: R, key: str, label: Callable[[Mapping[str, Any]], str] | None = None) -> list[R]:
        """The tables of list `key` (none if it is missing), each read at its place; `label` adds what names
        the entry to its place (its id)."""
        value = self.data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
            return self.refuse(key, self.wrong(key, "tables"), [])
        at = self.place(key)
        if label is None:
            return [self.inner(table, f"{at}[{n}]") for n, table in enumerate(value)]
        return [self.inner(table, f"{at}[{n}]{label(table)}") for n, table in enumerate(value)]


R = TypeVar("R", bound=Reader)
