"""Regular expressions compiled when first used, not when their module is imported: the first paint
imports the domain modules that hold them, and uses almost none (compiling the nine of them cost ~3 ms)."""

from __future__ import annotations

import re
from collections.abc import Callable


class Pattern:
    """A `re.Pattern` compiled on first use, with the methods the domain calls."""

    __slots__ = ("source", "flags", "_compiled")

    def __init__(self, source: str, flags: int = 0) -> None:
        self.source = source
        self.flags = flags
        self._compiled: re.Pattern[str] | None = None

    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.source, self.flags)
        return self._compiled

    def match(self, text: str) -> re.Match[str] | None:
        return self.compiled().match(text)

    def fullmatch(self, text: str) -> re.Match[str] | None:
        return self.compiled().fullmatch(text)

    def search(self, text: str) -> re.Match[str] | None:
        return self.compiled().search(text)

    def sub(self, replacement: str | Callable[[re.Match[str]], str], text: str) -> str:
        return self.compiled().sub(replacement, text)

    def split(self, text: str) -> list[str]:
        return self.compiled().split(text)

    def __repr__(self) -> str:
        return f"Pattern({self.source!r})"
