"""Today names the replies noticed this past week: "Ana Ruiz replied, Tue 10 Mar"."""

from __future__ import annotations

from datetime import datetime, timedelta

from pytestqt.qtbot import QtBot

from afterword.core.contacts import create_contact
from afterword.core.storage.records import ContactFields, ContactRecord, TouchpointFields
from afterword.core.storage.values import TouchpointKind
from afterword.core.touchpoints import log_touchpoint
from afterword.gui.context import AppContext
from afterword.gui.pages.today import TodayPage


def _contact(context: AppContext, name: str) -> ContactRecord:
    return create_contact(context.db, ContactFields(name=name), now=context.now())


def _replied(context: AppContext, contact: ContactRecord, at: datetime) -> None:
    context.ops.write(
        log_touchpoint,
        context.db,
        TouchpointFields(contact_id=contact.id, kind=TouchpointKind.REPLIED, occurred_at=at),
        now=context.now(),
    )
    context.ops.wait_for_idle()


def test_replies_of_the_past_week_are_named_newest_first_and_older_ones_not(
    qtbot: QtBot, context: AppContext, now: datetime
) -> None:
    page = TodayPage(context)
    qtbot.addWidget(page)
    page.show()
    context.ops.wait_for_idle()
    assert not page.replies_label.isVisible()

    _replied(context, _contact(context, "Ana Ruiz"), now - timedelta(days=1))
    _replied(context, _contact(context, "Ben Ode"), now - timedelta(hours=2))
    _replied(context, _contact(context, "Cy Park"), now - timedelta(days=9))
    qtbot.waitUntil(page.replies_label.isVisible)

    assert page.replies_label.text() == (
        "Ben Ode replied, Wed 11 Mar · Ana Ruiz replied, Tue 10 Mar"
    )
