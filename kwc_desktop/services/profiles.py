"""Profile files (docs/profile-format.md): read from disk, bounded, then parsed by the domain."""

from __future__ import annotations

from pathlib import Path

from kwc_desktop.domain.limits import MAX_PROFILE_BYTES
from kwc_desktop.domain.profile import Profile, ProfileError, read_profile
from kwc_desktop.domain.program import Program
from kwc_desktop.domain.text import UserError
from kwc_desktop.services.files import read_user_input


def load_profile(path: Path, program: Program) -> Profile:
    """Read a profile file; every problem becomes one ProfileError naming file, entry and field."""
    try:
        raw = read_user_input(path, MAX_PROFILE_BYTES)  # `-`: standard input
    except UserError as e:
        raise ProfileError(str(path), e) from None
    return read_profile(raw, program, path.name)
