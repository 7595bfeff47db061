"""One app per data folder (services/instance.py), whatever is already in the folder."""

from __future__ import annotations

import pytest

from kwc_desktop.services import instance


@pytest.mark.parametrize("in_the_way", [False, True])
def test_a_second_app_is_refused_even_when_a_folder_has_the_lock_files_name(tmp_path, in_the_way):
    if in_the_way:  # the guard was silently off: open() of a folder fails, and no lock meant "cannot guard"
        (tmp_path / instance.LOCK_FILE).mkdir()
    first = instance.acquire(tmp_path)
    assert first is not None
    try:
        with pytest.raises(instance.AlreadyRunning):
            instance.acquire(tmp_path)
    finally:
        first.release()
    again = instance.acquire(tmp_path)  # released: the next start takes it
    assert again is not None
    again.release()
