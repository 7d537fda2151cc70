"""The tray, for real: a StatusNotifierWatcher mocked on the session bus, Qt on Xvfb (xcb).

Qt shows a tray icon over D-Bus (StatusNotifierItem) only when a watcher with
a registered host is on the bus, and only on a real windowing platform, so
the app runs as its own process with ``-platform xcb`` on an Xvfb display
(offscreen Qt has no tray). The test then reads the icon's tooltip and its
menu over D-Bus, as a desktop's panel would.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dbus
import dbusmock
import pytest

from afterword.core.demo import SAMPLES
from tests.gui.helpers import ROOT
from tests.gui.reminders.test_background_process import _midday_zone, _wait_for

WATCHER = "org.kde.StatusNotifierWatcher"
ITEM = "org.kde.StatusNotifierItem"


@pytest.fixture
def display() -> Iterator[str]:
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed (./dev setup installs it)")
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as stream:
        number = stream.readline().strip()
    try:
        yield f":{number}"
    finally:
        server.terminate()
        server.wait()


@pytest.fixture
def watcher() -> Iterator[Any]:
    """A StatusNotifierWatcher with a host registered: what a KDE-style panel provides."""
    server = dbusmock.DBusTestCase.spawn_server(
        WATCHER, "/StatusNotifierWatcher", WATCHER, stdout=subprocess.DEVNULL
    )
    obj = dbus.SessionBus().get_object(WATCHER, "/StatusNotifierWatcher")
    mock = dbus.Interface(obj, dbusmock.MOCK_IFACE)
    mock.AddProperties(
        WATCHER,
        {
            "IsStatusNotifierHostRegistered": dbus.Boolean(True),
            "ProtocolVersion": dbus.Int32(0),
            "RegisteredStatusNotifierItems": dbus.Array([], signature="s"),
        },
    )
    mock.AddMethod(WATCHER, "RegisterStatusNotifierItem", "s", "", "")
    mock.AddMethod(WATCHER, "RegisterStatusNotifierHost", "s", "", "")
    try:
        yield mock
    finally:
        server.terminate()
        server.wait()


def _menu_labels(bus: dbus.Bus, service: str, path: str) -> list[str]:
    menu = bus.get_object(service, path)
    _revision, layout = menu.GetLayout(0, -1, [], dbus_interface="com.canonical.dbusmenu")
    labels = []
    for child in layout[2]:
        label = child[1].get("label")
        if label:
            labels.append(str(label).replace("&", ""))
    return labels


@pytest.mark.timeout(120)
def test_the_tray_shows_the_count_and_the_menu(watcher: Any, display: str, tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    env = {
        **os.environ,
        "TZ": _midday_zone(),
        "DISPLAY": display,
        "QT_QPA_PLATFORM": "xcb",
        "XDG_CURRENT_DESKTOP": "KDE",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "afterword.gui.app", "--background", "--demo", "--data-dir",
         str(folder)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        registered = lambda: [  # noqa: E731
            args for _when, name, args in watcher.GetCalls() if name == "RegisterStatusNotifierItem"
        ]
        assert _wait_for(registered), "the app never registered a tray icon"
        service = str(registered()[0][0])
        bus = dbus.SessionBus()
        item = bus.get_object(service, "/StatusNotifierItem")

        def tooltip() -> str:
            value = item.Get(ITEM, "ToolTip", dbus_interface=dbus.PROPERTIES_IFACE)
            return str(value[2])

        assert _wait_for(lambda: tooltip().startswith("Afterword: ")), tooltip()
        assert tooltip().endswith(" due")
        menu_path = str(item.Get(ITEM, "Menu", dbus_interface=dbus.PROPERTIES_IFACE))
        labels = _menu_labels(bus, service, menu_path)
        # Open, the next five items, Pause reminders (a submenu), Quit.
        assert len(labels) == 8, labels
        assert labels[0] == "Open Afterword"
        assert labels[6:] == ["Pause reminders", "Quit"]
        # Each item names its company (two "Ask about next steps…" are told apart);
        # a check-in names its person instead.
        companies = [sample.company.replace("&", "") for sample in SAMPLES]
        for label in labels[1:6]:
            assert label.startswith("Check in with") or any(c in label for c in companies), label
    finally:
        process.terminate()
        process.wait(timeout=10)
