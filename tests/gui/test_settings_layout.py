"""Settings fits the window: at the smallest allowed size (760×480) and at 1280×800.

The real main window, offscreen, on a system without a keyring (the longest
keyring text: keyring's own "no backend") and with a Microsoft 365 account
this copy has no client id for (the longest sign-in text). No text may be cut
off, and the page must not need scrolling sideways.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QLabel, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from afterword.core.mail.accounts import save_mail_account
from afterword.core.mail.credentials import USER_MESSAGES, KeyringState
from afterword.core.storage.db import Database
from afterword.core.storage.records import MailAccountFields
from afterword.core.storage.values import MailSecurity
from afterword.gui.context import AppContext
from afterword.gui.main_window import MainWindow
from afterword.gui.pages.mail_account import MailAccountSection
from afterword.gui.pages.settings import SettingsPage

pytest_plugins = ["tests.gui.mail_fixtures"]

M365 = MailAccountFields(
    display_name="Alex Candidate",
    email="alex@contoso.example",
    smtp_host="smtp.office365.com",
    smtp_port=587,
    security=MailSecurity.STARTTLS,
    username="alex@contoso.example",
)


def _cut_off(label: QLabel) -> str:
    """Why ``label`` does not show all its text ("" if it does)."""
    width = label.contentsRect().width()
    needed = label.heightForWidth(label.width()) if label.wordWrap() else label.sizeHint().height()
    if label.height() < needed:
        return f"{label.height()} px high, needs {needed} at {width} px wide"
    return ""


def _settings_at(
    qtbot: QtBot, main_window: MainWindow, context: AppContext, width: int, height: int
) -> SettingsPage:
    main_window.resize(width, height)
    page = main_window.show_page("settings")
    assert isinstance(page, SettingsPage)
    context.ops.wait_for_idle()
    qtbot.wait(50)  # the layouts settle
    return page


@pytest.mark.parametrize("size", [(760, 480), (1280, 800)])
def test_no_settings_text_is_cut_off_and_nothing_scrolls_sideways(
    qtbot: QtBot,
    db: Database,
    context: AppContext,
    main_window: MainWindow,
    no_keyring_backend: object,
    size: tuple[int, int],
) -> None:
    assert main_window.minimumSize().toTuple() == (760, 480)  # the smallest allowed window
    save_mail_account(db, M365)
    page = _settings_at(qtbot, main_window, context, *size)

    keyring = page.mail_account.keyring.label
    assert keyring.text() == USER_MESSAGES[KeyringState.NO_BACKEND]
    assert "no client id for Microsoft" in page.mail_account.sign_in.status.text()
    shown = [
        label
        for label in page.findChildren(QLabel)
        if label.isVisibleTo(page) and label.text() and label.wordWrap()
    ]
    assert keyring in shown
    cut_off = {label.accessibleName() or label.text()[:40]: _cut_off(label) for label in shown}
    assert {name: why for name, why in cut_off.items() if why} == {}
    # The keyring text lies inside its section (nothing above or below it is hidden).
    section = page.mail_account
    top_left = keyring.mapTo(section, keyring.rect().topLeft())
    bottom_right = keyring.mapTo(section, keyring.rect().bottomRight())
    assert section.rect().contains(top_left) and section.rect().contains(bottom_right)

    area = page.findChild(QScrollArea)
    assert area is not None
    content: QWidget = area.widget()
    assert content.width() <= area.viewport().width()
    assert not area.horizontalScrollBar().isVisible()


def _in(section: QWidget, widget: QWidget) -> QRect:
    """``widget``'s rectangle in ``section``'s coordinates."""
    return QRect(widget.mapTo(section, QPoint(0, 0)), widget.size())


def test_the_templates_stand_side_by_side_only_when_there_is_room(
    qtbot: QtBot, context: AppContext, main_window: MainWindow
) -> None:
    page = _settings_at(qtbot, main_window, context, 760, 480)
    templates = page.templates
    parts = (templates.list, templates.body, templates.help)
    listed, body, help_ = (_in(templates, part) for part in parts)
    assert listed.bottom() < body.top() and body.bottom() < help_.top()  # one below another

    page = _settings_at(qtbot, main_window, context, 1280, 800)
    listed, body, help_ = (_in(templates, part) for part in parts)
    assert listed.right() < body.left() and body.right() < help_.left()  # side by side


@pytest.mark.parametrize("width", [466, 600, 760, 986])
def test_the_keyring_text_is_whole_at_any_width_the_section_gets(
    qtbot: QtBot,
    db: Database,
    context: AppContext,
    no_keyring_backend: object,
    width: int,
) -> None:
    """466 px is what the section gets in a 760 px window; 986 px in a 1280 px one."""
    save_mail_account(db, M365)
    section = MailAccountSection(context)
    qtbot.addWidget(section)
    section.resize(width, 1000)  # room to spare: nothing needs to be squeezed
    section.show()
    context.ops.wait_for_idle()  # the account, then where its password is, arrive
    qtbot.wait(50)

    for label in (section.keyring.label, section.sign_in.status, section.provider_note):
        assert label.isVisible() and _cut_off(label) == ""
