"""Start at login: the Linux entry written and removed for real; Windows and macOS by their text."""

from __future__ import annotations

import plistlib
import shlex
from pathlib import Path

import pytest

from afterword.core.reminders import autostart


@pytest.fixture
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path / "config"


def test_the_bundle_starts_itself_in_the_background() -> None:
    command = autostart.launch_command(frozen=True, executable="/opt/Afterword/afterword")
    assert command == ["/opt/Afterword/afterword", "--background"]


def test_a_development_install_runs_the_module_with_its_python(tmp_path: Path) -> None:
    command = autostart.launch_command(
        tmp_path / "my data", frozen=False, executable="/home/a/.venv/bin/python"
    )
    assert command == [
        "/home/a/.venv/bin/python",
        "-m",
        "afterword.gui.app",
        "--background",
        "--data-dir",
        str(tmp_path / "my data"),
    ]


def test_linux_entry_is_written_where_the_desktop_reads_it_and_removed(config_home: Path) -> None:
    command = ["/home/a b/.venv/bin/python", "-m", "afterword.gui.app", "--background"]
    assert not autostart.is_enabled("linux")
    path = autostart.enable(command, "linux")
    assert path == config_home / "autostart" / "io.github.afterword.Afterword.desktop"
    text = Path(path).read_text()
    assert "Type=Application\n" in text
    assert "X-GNOME-Autostart-Delay=10\n" in text
    exec_line = next(line for line in text.splitlines() if line.startswith("Exec="))
    # The quoting of the Desktop Entry specification reads back as the command.
    assert shlex.split(exec_line.removeprefix("Exec=")) == command
    assert autostart.is_enabled("linux")
    autostart.disable("linux")
    assert not autostart.is_enabled("linux")
    autostart.disable("linux")  # nothing there: no error


def test_desktop_file_validates(config_home: Path) -> None:
    import shutil
    import subprocess

    validator = shutil.which("desktop-file-validate")
    if validator is None:
        pytest.skip("desktop-file-validate is not installed")
    path = autostart.enable(["/usr/bin/afterword", "--background"], "linux")
    result = subprocess.run([validator, str(path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_windows_run_key_value_quotes_paths_with_spaces() -> None:
    key, name, value = autostart.windows_run_value(
        [r"C:\Program Files\Afterword\Afterword.exe", "--background"]
    )
    assert key == r"Software\Microsoft\Windows\CurrentVersion\Run"
    assert name == "Afterword"
    assert value == r'"C:\Program Files\Afterword\Afterword.exe" --background'


def test_macos_launch_agent_runs_at_load_in_the_background() -> None:
    plist = plistlib.loads(
        autostart.launch_agent(
            ["/Applications/Afterword.app/Contents/MacOS/Afterword", "--background"]
        )
    )
    assert plist == {
        "Label": "io.github.afterword.Afterword",
        "ProgramArguments": [
            "/Applications/Afterword.app/Contents/MacOS/Afterword",
            "--background",
        ],
        "RunAtLoad": True,
        "ProcessType": "Interactive",
    }
