"""What a secret looks like: anything shaped like a Twilio SID, API Key or Auth Token (32 hex digits).

Never allowed into a free-text field, the progress file or a log; shortened where a message must name one.
It stands alone (no import of the app's own) so that the messages, the limits and the log filters can all
use it.
"""

from __future__ import annotations

from kwc_desktop.domain.patterns import Pattern

SECRET_SHAPE = Pattern(r"(?i)(AC|BU|PN|SK)[0-9a-f]{32}|(?<![0-9a-z])[0-9a-f]{32}(?![0-9a-z])")


def looks_like_secret(text: str) -> bool:
    # Nothing shorter than 32 characters can match: the pattern is not even compiled for short texts
    # (the program's id is checked at every start).
    return len(text) >= 32 and SECRET_SHAPE.search(text) is not None


def mask_secrets(text: str) -> str:
    """`text` with everything shaped like a SID or token shortened to its first and last four (AC12…cdef)."""
    if not looks_like_secret(text):
        return text
    return SECRET_SHAPE.sub(lambda m: f"{m.group(0)[:4]}…{m.group(0)[-4:]}", text)
