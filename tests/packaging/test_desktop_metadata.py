"""The .desktop entry and AppStream metadata: valid, and one application id everywhere."""

from __future__ import annotations

import configparser
import subprocess
import xml.etree.ElementTree as ET

import bundle_rules

from afterword.core.storage.paths import APP_ID, APP_NAME, resource

DESKTOP_FILE = resource("linux", f"{APP_ID}.desktop")
METAINFO_FILE = resource("linux", f"{APP_ID}.metainfo.xml")


def _desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(DESKTOP_FILE, encoding="utf-8")
    return parser["Desktop Entry"]


def _appstream_problems(output: str) -> list[str]:
    """Warnings and errors in ``appstreamcli validate`` output (infos are advice)."""
    return [line for line in output.splitlines() if line.startswith(("W:", "E:"))]


def test_desktop_file_passes_desktop_file_validate() -> None:
    result = subprocess.run(
        ["desktop-file-validate", str(DESKTOP_FILE)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == ""


def test_metainfo_passes_appstreamcli_validate() -> None:
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(METAINFO_FILE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert _appstream_problems(result.stdout) == []


def test_desktop_entry_names_the_app_its_icon_and_window() -> None:
    entry = _desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Name"] == APP_NAME
    assert entry["Comment"]
    assert entry["Icon"] == APP_ID
    assert "Office" in entry["Categories"].split(";")
    assert entry["Terminal"] == "false"
    # Qt names the X11 window class after the application name (QApplication's
    # applicationName, which afterword.gui.app sets to APP_NAME): the dock groups the
    # window with this entry only if they match. The frozen test checks the
    # real window.
    assert entry["StartupWMClass"] == APP_NAME


def test_metainfo_uses_the_same_id_and_names_the_current_version() -> None:
    component = ET.parse(METAINFO_FILE).getroot()
    assert component.get("type") == "desktop-application"
    assert component.findtext("id") == APP_ID
    assert component.findtext("name") == APP_NAME
    launchable = component.find("launchable")
    assert launchable is not None
    assert launchable.get("type") == "desktop-id"
    assert launchable.text == DESKTOP_FILE.name
    releases = [release.get("version") for release in component.iter("release")]
    # Software centres show the newest release: a version bump needs its entry.
    assert releases[0] == bundle_rules.read_version()
