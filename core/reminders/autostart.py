"""Start at login: the XDG autostart entry, the Windows Run key, the macOS LaunchAgent.

Always opt-in (Settings). Each starts ``afterword --background``: the frozen
bundle's program, or for a development install this Python running
``-m afterword.gui.app``. The texts are built by pure functions (tested on
every system); :func:`enable` and :func:`disable` write or remove them for
the running system. Only the Linux entry can be exercised here: the Run key
and the LaunchAgent are tested by what they would write.
"""

from __future__ import annotations

import logging
import os
import plistlib
import sys
from collections.abc import Sequence
from pathlib import Path

from afterword.core.storage.paths import APP_ID, APP_NAME

logger = logging.getLogger(__name__)

BACKGROUND_FLAG = "--background"
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
# Desktops load many programs at login: reminders can wait a little.
AUTOSTART_DELAY_S = 10
_DESKTOP_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def launch_command(
    data_dir: Path | None = None,
    *,
    frozen: bool | None = None,
    executable: str | None = None,
) -> list[str]:
    """The command that starts Afterword in the background (``data_dir``: a non-default folder)."""
    frozen = getattr(sys, "frozen", False) if frozen is None else frozen
    executable = executable or sys.executable
    command = [executable] if frozen else [executable, "-m", "afterword.gui.app"]
    command.append(BACKGROUND_FLAG)
    if data_dir is not None:
        command += ["--data-dir", str(data_dir)]
    return command


def _desktop_quoted(argument: str) -> str:
    """One argument of a desktop entry's Exec key (Desktop Entry specification, "Exec")."""
    if argument and not (set(argument) & _DESKTOP_RESERVED):
        return argument.replace("%", "%%")
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in argument)
    return '"' + escaped.replace("%", "%%") + '"'


def desktop_entry(command: Sequence[str]) -> str:
    """The text of the XDG autostart entry."""
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        f"Name={APP_NAME} reminders\n"
        "Comment=Reminders for your interview follow-ups\n"
        f"Exec={' '.join(_desktop_quoted(a) for a in command)}\n"
        f"Icon={APP_ID}\n"
        "Terminal=false\n"
        "NoDisplay=true\n"
        "X-GNOME-Autostart-enabled=true\n"
        f"X-GNOME-Autostart-Delay={AUTOSTART_DELAY_S}\n"
    )


def windows_run_value(command: Sequence[str]) -> tuple[str, str, str]:
    """(key under HKEY_CURRENT_USER, value name, value data) of the Run entry."""
    return RUN_KEY, APP_NAME, " ".join(f'"{a}"' if " " in a else a for a in command)


def launch_agent(command: Sequence[str]) -> bytes:
    """The macOS LaunchAgent plist."""
    return plistlib.dumps(
        {
            "Label": APP_ID,
            "ProgramArguments": list(command),
            "RunAtLoad": True,
            "ProcessType": "Interactive",
        }
    )


def linux_entry_path() -> Path:
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "autostart" / f"{APP_ID}.desktop"


def mac_agent_path() -> Path:
    return Path.home() / "Library" / "LaunchAgents" / f"{APP_ID}.plist"


def is_enabled(platform: str = sys.platform) -> bool:
    if platform.startswith("win"):
        return _windows_value() is not None
    path = mac_agent_path() if platform == "darwin" else linux_entry_path()
    return path.exists()


def enable(command: Sequence[str], platform: str = sys.platform) -> Path | str:
    """Write the entry that starts ``command`` at login; returns where it went."""
    if platform.startswith("win"):
        import winreg  # type: ignore[import-not-found,unused-ignore]

        key, name, value = windows_run_value(command)
        with winreg.CreateKey(winreg.HKEY_CURRENT_USER, key) as handle:
            winreg.SetValueEx(handle, name, 0, winreg.REG_SZ, value)
        logger.info("Start at login on: Run key")
        return f"HKEY_CURRENT_USER\\{key}\\{name}"
    if platform == "darwin":
        path, data = mac_agent_path(), launch_agent(command)
    else:
        path, data = linux_entry_path(), desktop_entry(command).encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_bytes(data)
    temporary.replace(path)
    logger.info("Start at login on: %s", path)
    return path


def disable(platform: str = sys.platform) -> None:
    """Remove the entry (nothing happens if there is none)."""
    if platform.startswith("win"):
        import winreg  # type: ignore[import-not-found,unused-ignore]

        if _windows_value() is not None:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE) as h:
                winreg.DeleteValue(h, APP_NAME)
    else:
        path = mac_agent_path() if platform == "darwin" else linux_entry_path()
        path.unlink(missing_ok=True)
    logger.info("Start at login off")


def _windows_value() -> str | None:
    import winreg  # type: ignore[import-not-found,unused-ignore]

    try:
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as handle:
            return str(winreg.QueryValueEx(handle, APP_NAME)[0])
    except OSError:
        return None
