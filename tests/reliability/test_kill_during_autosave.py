"""kill -9 in the middle of autosaves, 200 times: the file always loads, and the next start of the app
removes every temp file the killed saves left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from kwc_desktop.services.progress import ProgressStore
from tests.conftest import REPO
from tests.reliability.conftest import app_env, run_app

WRITER = """
import sys, itertools
from pathlib import Path
from kwc_desktop.services.progress import ProgressStore
store = ProgressStore(Path(sys.argv[1]))
print("ready", flush=True)
for n in itertools.count():
    store.save({"n": n, "answers": {f"account {i}": {"payment": "invoice", "note": "x" * (n % 5000)}
                                    for i in range(n % 40)}})
"""
ROUNDS = 200


@pytest.mark.slow
def test_killing_an_autosaving_process_never_leaves_an_unreadable_file_nor_temp_files(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    last_seen, leftovers_seen = -1, 0
    for round_number in range(ROUNDS):
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path)], stdout=subprocess.PIPE, env=env)
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == b"ready"
        time.sleep(0.002 + (round_number * 7 % 13) / 1000)
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        loaded = ProgressStore(tmp_path).load(read_only=True)
        assert loaded.notice is None, f"round {round_number}: {loaded.notice}"
        if loaded.state:
            assert isinstance(loaded.state["n"], int)
            assert len(loaded.state["answers"]) == loaded.state["n"] % 40
            last_seen = loaded.state["n"]
        leftovers_seen = max(leftovers_seen, len(list(tmp_path.glob(".progress-*.tmp"))))
    assert last_seen >= 0  # the writer really got to save
    assert leftovers_seen > 0  # and really was killed mid-write, leaving temp files
    result = run_app("--smoke", env=app_env(tmp_path, tmp_path / "home"))
    assert result.returncode == 0, result.stderr
    assert "progress file" not in result.stderr  # the last complete save loads, nothing to report
    assert list(tmp_path.glob(".progress-*.tmp")) == []  # the start removed them all (it holds the lock)
