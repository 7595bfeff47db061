"""Output paths and output streams, through the installed `kwc-desktop`: a file is written whole or not at all,
never over a device, FIFO, socket or folder; a link is followed and named; a full disk leaves the earlier file
as it was; stdout that fails is one line and exit 1; a bad --report is found before any request; `-` is
standard input."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, REPO
from tests.reliability.conftest import app_env, installed_app, mount_tmpfs

PROFILE = EXAMPLES[0]


def run(*args: str, tmp: Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    env = app_env(tmp / "data", tmp)
    return subprocess.run([str(installed_app()), *args], text=True, encoding="utf-8", env=env, cwd=REPO,
                          timeout=kwargs.pop("timeout", 60), **{"capture_output": True, **kwargs})  # type: ignore


WRITERS = {
    "checklist": lambda out: ("checklist", str(PROFILE), "--out", str(out), "--as-of", "2023-04-10"),
    "calendar": lambda out: ("calendar", str(PROFILE), "--out", str(out), "--as-of", "2023-04-10"),
}
SUFFIX = {"checklist": ".pdf", "calendar": ".ics"}


def one_line_exit_2(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr, result.stderr
    assert result.stdout == ""


def a_null_device(folder: Path, name: str) -> Path:
    """A null device of the test's own (root makes one, as scripts/test.sh runs): code that replaced a device
    would replace this one, not the machine's /dev/null. Elsewhere a link to /dev/null, which no other user
    can replace."""
    path = folder / name
    if os.geteuid() == 0:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    else:
        path.symlink_to(os.devnull)
    return path


@pytest.mark.parametrize("command", WRITERS)
def test_a_device_is_refused_and_stays_a_device(tmp_path, command):
    device = a_null_device(tmp_path, f"null{SUFFIX[command]}")  # the name must end in .pdf / .ics
    link = tmp_path / f"link-to-null{SUFFIX[command]}"
    link.symlink_to(device)
    for path in (device, link):
        result = run(*WRITERS[command](path), tmp=tmp_path)
        one_line_exit_2(result)
        assert "not a regular file" in result.stderr
        assert stat.S_ISCHR(os.stat(device).st_mode)
    assert link.is_symlink()


@pytest.mark.parametrize("command", WRITERS)
def test_a_fifo_a_socket_and_a_folder_are_refused_without_hanging(tmp_path, command):
    fifo = tmp_path / f"fifo{SUFFIX[command]}"
    os.mkfifo(fifo)
    one_line_exit_2(run(*WRITERS[command](fifo), tmp=tmp_path, timeout=30))
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    sock_path = tmp_path / f"s{SUFFIX[command]}"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.bind(str(sock_path))
        one_line_exit_2(run(*WRITERS[command](sock_path), tmp=tmp_path))
        assert stat.S_ISSOCK(os.lstat(sock_path).st_mode)
    folder = tmp_path / f"folder{SUFFIX[command]}"
    folder.mkdir()
    one_line_exit_2(run(*WRITERS[command](folder), tmp=tmp_path))
    missing = tmp_path / "no-such-folder" / f"x{SUFFIX[command]}"
    one_line_exit_2(run(*WRITERS[command](missing), tmp=tmp_path))
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")) == []


@pytest.mark.parametrize("command", WRITERS)
def test_a_link_is_followed_and_named(tmp_path, command):
    real = tmp_path / "shared" / f"real{SUFFIX[command]}"
    real.parent.mkdir()
    real.write_bytes(b"earlier")
    os.chmod(real, 0o640)
    link = tmp_path / f"link{SUFFIX[command]}"
    link.symlink_to(real)
    result = run(*WRITERS[command](link), tmp=tmp_path)
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and link.resolve() == real  # the link stays a link
    assert real.read_bytes() != b"earlier" and stat.S_IMODE(real.stat().st_mode) == 0o640
    assert f"{real} (via the link {link})" in result.stdout


@pytest.mark.parametrize("command", WRITERS)
def test_a_full_disk_is_one_line_and_the_earlier_file_is_untouched(tmp_path, command):
    disk = tmp_path / "full"
    mount_tmpfs(disk, "256k")
    try:
        target = disk / f"out{SUFFIX[command]}"
        earlier = b"%PDF-1.4 the earlier file\n%%EOF\n"
        target.write_bytes(earlier)
        fd = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT)
        try:  # every block but none
            while True:
                os.write(fd, b"\0" * 4096)
        except OSError:
            pass
        finally:
            os.close(fd)
        result = run(*WRITERS[command](target), tmp=tmp_path)
        one_line_exit_2(result)
        assert target.read_bytes() == earlier
        assert sorted(p.name for p in disk.iterdir()) == ["filler", target.name]
        # Room for a few blocks only: the PDF (about 30 KB) starts and cannot finish
        (disk / "filler").unlink()
        fd = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT)
        try:
            os.write(fd, b"\0" * (256 - 12) * 1024)
        except OSError:
            pass
        finally:
            os.close(fd)
        if command == "checklist":
            result = run(*WRITERS[command](target), tmp=tmp_path)
            one_line_exit_2(result)
            assert target.read_bytes() == earlier
            assert sorted(p.name for p in disk.iterdir()) == ["filler", target.name]
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)


# --- standard output --------------------------------------------------------------------------------------


def _plan(tmp_path: Path, stdout: object, **kwargs: object) -> subprocess.CompletedProcess[str]:
    env = app_env(tmp_path / "data", tmp_path)
    return subprocess.run([str(installed_app()), "plan", str(PROFILE), "--as-of", "2023-04-10", "--json"],
                          stdout=stdout, stderr=subprocess.PIPE, text=True, encoding="utf-8", env=env, cwd=REPO,
                          timeout=60, **kwargs)  # type: ignore[call-overload]


def test_a_full_stdout_is_one_line_and_exit_1(tmp_path):
    with open("/dev/full", "w") as full:
        result = _plan(tmp_path, full)
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip().splitlines() == [
        "kwc-desktop: cannot write to standard output (No space left on device)."]


def test_a_closed_stdout_is_one_line_and_exit_1(tmp_path):
    env = app_env(tmp_path / "data", tmp_path)
    result = subprocess.run(f"exec '{installed_app()}' plan '{PROFILE}' --as-of 2023-04-10 >&-", shell=True,
                            stderr=subprocess.PIPE, text=True, env=env, cwd=REPO, timeout=60)
    assert result.returncode == 1, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "standard output" in result.stderr, result.stderr


def test_a_reader_that_went_away_is_a_silent_exit_1(tmp_path):
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first byte: every write is a broken pipe
    try:
        result = _plan(tmp_path, write_end)
    finally:
        os.close(write_end)
    assert result.returncode == 1 and result.stderr == "", result.stderr


def test_charges_and_version_output_go_through_the_same_check(tmp_path):
    env = app_env(tmp_path / "data", tmp_path)
    with open("/dev/full", "w") as full:
        version = subprocess.run([str(installed_app()), "--version"], stdout=full, stderr=subprocess.PIPE,
                                 text=True, env=env, timeout=60)
        meters = subprocess.run([str(installed_app()), "meters", "--failed-on", "2021-08-10", "--days", "3",
                                 "--usage", "2021-07=1000", "--usage", "2021-06=1000"], stdout=full,
                                stderr=subprocess.PIPE, text=True, env=env, timeout=60)
    for result in (version, meters):
        assert result.returncode == 1 and "standard output" in result.stderr, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


# --- detect --report before the network; `-`; --account ----------------------------------------------------


def test_a_bad_report_path_costs_no_request(tmp_path):
    from tests.fake_twilio import FakeAccount, numbers_for, serving
    from tests.fake_twilio import sid as make_sid

    account, token = make_sid("AC", 1), "e" * 32
    profile = tmp_path / "p.toml"
    profile.write_text(f'profile = 1\n[[owners]]\nemail = "it@example.com"\n  [[owners.accounts]]\n'
                       f'  label = "Main"\n  sid = "{account}"\n', encoding="utf-8")
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    (tmp_path / "folder.json").mkdir()
    with serving() as fake:
        fake.add(FakeAccount(account, token, numbers=numbers_for(account, 2)))
        env = {**app_env(tmp_path / "data", tmp_path), "KWC_TWILIO_API_URL": fake.base,
               "KWC_TWILIO_NUMBERS_URL": fake.base, "KWC_TWILIO_AUTH_TOKEN": token}
        device = a_null_device(tmp_path, "null.json")
        for bad in (str(device), str(fifo), str(tmp_path / "folder.json"), str(tmp_path / "nope" / "r.json")):
            result = subprocess.run([str(installed_app()), "detect", str(profile), "--report", bad], env=env,
                                    capture_output=True, text=True, timeout=30, cwd=REPO)
            one_line_exit_2(result)
            assert fake.requests == 0, bad
        good = subprocess.run([str(installed_app()), "detect", str(profile), "--report", str(tmp_path / "r.json"),
                               "--account", "Ｍａｉｎ"], env=env, capture_output=True, text=True, timeout=60, cwd=REPO)
        assert good.returncode == 0, good.stderr  # the full-width label is the profile's "Main"
        assert fake.requests > 0 and (tmp_path / "r.json").is_file()
    assert stat.S_ISCHR(os.stat(device).st_mode)


@pytest.mark.parametrize("command", ["plan", "checklist", "calendar", "detect"])
def test_dash_reads_the_profile_from_standard_input(tmp_path, command):
    extra = {"plan": ["--json"], "checklist": ["--out", str(tmp_path / "c.pdf")],
             "calendar": ["--out", str(tmp_path / "c.ics")], "detect": ["--json"]}[command]
    env = {**app_env(tmp_path / "data", tmp_path), "KWC_TWILIO_API_URL": "http://127.0.0.1:9"}
    with open(PROFILE, "rb") as stdin:
        result = subprocess.run([str(installed_app()), command, "-", "--as-of", "2023-04-10", *extra],
                                stdin=stdin, capture_output=True, env=env, timeout=60, cwd=REPO)
    assert result.returncode in ((0, 1) if command == "detect" else (0,)), result.stderr
    assert b"Traceback" not in result.stderr
    if command == "plan":
        import json

        assert json.loads(result.stdout)["owners"]
    too_big = subprocess.run([str(installed_app()), command, "-", *extra], input=b"#" * ((2 << 20) + 1),
                             capture_output=True, env=env, timeout=60, cwd=REPO)
    assert too_big.returncode == 2 and b"too large" in too_big.stderr, too_big.stderr
    fifo = tmp_path / "profile.toml"
    os.mkfifo(fifo)  # by its name a FIFO is still refused, at once
    by_name = subprocess.run([str(installed_app()), command, str(fifo), *extra], capture_output=True, env=env,
                             timeout=30, cwd=REPO)
    assert by_name.returncode == 2 and b"not a regular file" in by_name.stderr


# --- what the JSON outputs hold -----------------------------------------------------------------------------


def test_json_output_holds_no_raw_control_character_and_reads_back_the_same():
    """JSON escapes only C0: DEL, C1 (U+0085), the bidi controls (U+202E) and a lone surrogate would reach the
    terminal or the report raw (a surrogate would even stop the UTF-8 encoding with a traceback)."""
    import json
    import re

    from kwc_desktop.domain.text import json_text

    value = {"label": "支店\x7f\x85\u202e\u2066\ud800", "nested": ["\x1b[31m", "tab\tnew\nline"], "n": 1}
    for indent in (2, None):
        text = json_text(value, indent)
        assert re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e\u2066\ud800]", text) is None, text
        text.encode("utf-8")  # no surrogate left to refuse
        assert json.loads(text) == value
        assert "支店" in text  # Japanese stays readable
