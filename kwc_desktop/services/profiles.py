"""Profile files (docs/profile-format.md): read from disk, bounded, then parsed by the domain."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kwc_desktop.domain.limits import MAX_PROFILE_BYTES
from kwc_desktop.domain.profile import Profile, ProfileError, read_profile
from kwc_desktop.domain.program import Program
from kwc_desktop.domain.text import UserError
from kwc_desktop.services.files import read_user_input

if TYPE_CHECKING:
    from kwc_desktop.domain.session import ProfileApplied, Session


def load_profile(path: Path, program: Program) -> Profile:
    """Read a profile file; every problem becomes one ProfileError naming file, entry and field."""
    try:
        raw = read_user_input(path, MAX_PROFILE_BYTES)  # `-`: standard input
    except UserError as e:
        raise ProfileError(str(path), e) from None
    return read_profile(raw, program, path.name)


def open_profile(path: Path, session: Session) -> ProfileApplied:
    """The one way a profile reaches a session — `plan`, `checklist`, `calendar`, `detect`, `charges` and
    File → Open alike: read and checked whole first (a bad file changes nothing), then applied."""
    return session.apply_profile(load_profile(path, session.program))
