"""What the user's machine says before the app starts: their language, and whether there is a screen."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

from kwc_desktop.domain.text import Lang, UserError, as_lang


def environment_lang() -> Lang:
    """The user's language for the command line: LC_ALL / LC_MESSAGES / LANG where set (Unix shells),
    else the Windows display language (Windows sets none of those variables)."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return as_lang(value)
    if sys.platform == "win32":
        import ctypes

        language_id = ctypes.windll.kernel32.GetUserDefaultUILanguage()  # type: ignore[attr-defined]
        return "ja" if language_id & 0x3FF == 0x11 else "en"  # LANG_JAPANESE
    return "en"


def display_problem(environ: Mapping[str, str] | None = None, platform: str | None = None) -> UserError | None:
    """Why the GUI cannot be shown here (no display to connect to), or None. Only X11/Wayland systems
    need this: Windows and macOS always have a screen for a desktop app."""
    env = os.environ if environ is None else environ
    if not (platform or sys.platform).startswith(("linux", "freebsd", "openbsd", "netbsd", "sunos")):
        return None
    if env.get("QT_QPA_PLATFORM") or env.get("WAYLAND_DISPLAY"):
        return None  # the user chose a platform, or a Wayland session: Qt knows how to reach it
    display = env.get("DISPLAY", "")
    if not display:
        return UserError("app.no_display")
    return None if _x_server_answers(display) else UserError("app.display_unreachable", display=display)


def _x_server_answers(display: str) -> bool:
    """Whether an X server listens where DISPLAY points (a socket connect, well under a millisecond)."""
    import socket

    host, _, rest = display.rpartition(":")
    number = rest.split(".")[0]
    if not number.isdigit():
        return True  # a form we do not know: let Qt try
    try:
        if host in ("", "unix") or host.startswith("/"):
            path = host if host.startswith("/") else f"/tmp/.X11-unix/X{number}"
            for address in (path, "\0" + path):  # a file socket, or Linux's abstract one
                with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                    try:
                        s.connect(address)
                        return True
                    except OSError:
                        continue
            return False
        with socket.create_connection((host, 6000 + int(number)), timeout=1.0):
            return True
    except OSError:
        return False
