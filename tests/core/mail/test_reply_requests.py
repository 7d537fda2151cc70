"""A reply to a rejection ticks off only the checklist items it asked for.

Real database, real SMTP server: the reply is drafted with some requests,
sent, and the checklist (the kept items Today reads, and the plain rules)
shows the others still to do. A reply logged by hand says nothing about what
it asked, so it covers all three, as it always did.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from afterword.core.checklist import service
from afterword.core.checklist.items import ItemKind, ItemState
from afterword.core.mail import outbox
from afterword.core.mail.drafts import prepare_draft
from afterword.core.mail.templates import ensure_default_templates
from afterword.core.storage.db import Database
from afterword.core.storage.models import Application, Touchpoint
from afterword.core.storage.records import MailAccountRecord, TouchpointFields
from afterword.core.storage.values import ApplicationStatus, Purpose, TouchpointKind
from afterword.core.touchpoints import log_touchpoint
from tests.core.mail.rows import Scene
from tests.support.smtp import SmtpServer

REPLY_KINDS = (ItemKind.ASK_FEEDBACK, ItemKind.SAY_STILL_INTERESTED, ItemKind.ASK_REFERRAL)


def _rejected(db: Database, scene: Scene, now: datetime) -> None:
    """The no came an hour ago; the kept items (what Today reads) are made."""
    ensure_default_templates(db)
    with db.session() as session:
        application = session.get(Application, scene.application_id)
        assert application is not None
        application.status = ApplicationStatus.REJECTED
        application.decided_at = now - timedelta(hours=1)
    assert service.make_kept(db, now)


def _reply_states(db: Database, scene: Scene, now: datetime) -> dict[ItemKind, ItemState]:
    items = service.checklist_for_application(db, scene.application_id, now)
    return {item.kind: item.state for item in items if item.kind in REPLY_KINDS}


def _on_today(db: Database, now: datetime) -> set[ItemKind]:
    return {item.kind for item in service.today(db, now) if item.kind in REPLY_KINDS}


def _reply(db: Database, scene: Scene, now: datetime, *requests: str) -> int:
    draft = prepare_draft(
        db,
        purpose=Purpose.REJECTION_REPLY,
        application_id=scene.application_id,
        interview_id=scene.interview_id,
        contact_id=scene.contact_id,
        now=now,
        my_name="Ada",
        requests=frozenset(requests),
    )
    assert draft.requests == frozenset(requests)
    return draft.id


def test_a_reply_asking_only_for_feedback_leaves_the_referral_to_do(
    db: Database, now: datetime, scene: Scene, server: SmtpServer, account: MailAccountRecord
) -> None:
    _rejected(db, scene, now)
    assert _on_today(db, now) == set(REPLY_KINDS)

    message_id = _reply(db, scene, now, "feedback")
    outbox.send_message(db, message_id, account=account, password=server.password, now=now)

    [received] = server.received
    assert received.rcpt_tos == ("grace@example.org",)
    with db.reading() as session:
        touchpoint = session.scalars(select(Touchpoint)).one()
        assert (touchpoint.message_id, touchpoint.requests) == (message_id, {"feedback"})
    assert _reply_states(db, scene, now) == {
        ItemKind.ASK_FEEDBACK: ItemState.DONE,
        ItemKind.SAY_STILL_INTERESTED: ItemState.DUE,
        ItemKind.ASK_REFERRAL: ItemState.DUE,
    }
    feedback = next(
        item
        for item in service.checklist_for_application(db, scene.application_id, now)
        if item.kind is ItemKind.ASK_FEEDBACK
    )
    assert feedback.done_automatically
    assert _on_today(db, now) == {ItemKind.SAY_STILL_INTERESTED, ItemKind.ASK_REFERRAL}

    # A day later, another reply asks for the referral: that one is done too.
    later = now + timedelta(days=1)
    outbox.mark_sent_from_mail_app(db, _reply(db, scene, later, "referral"), later)
    assert _reply_states(db, scene, later) == {
        ItemKind.ASK_FEEDBACK: ItemState.DONE,
        ItemKind.SAY_STILL_INTERESTED: ItemState.DUE,
        ItemKind.ASK_REFERRAL: ItemState.DONE,
    }
    assert _on_today(db, later) == {ItemKind.SAY_STILL_INTERESTED}


def test_a_reply_asking_only_to_stay_in_touch_ticks_off_none_of_the_three(
    db: Database, now: datetime, scene: Scene
) -> None:
    _rejected(db, scene, now)
    outbox.mark_sent_by_post(db, _reply(db, scene, now, "stay_in_touch"), now)

    assert set(_reply_states(db, scene, now).values()) == {ItemState.DUE}
    assert _on_today(db, now) == set(REPLY_KINDS)


def test_a_reply_logged_by_hand_covers_all_three(db: Database, now: datetime, scene: Scene) -> None:
    _rejected(db, scene, now)
    log_touchpoint(
        db,
        TouchpointFields(
            contact_id=scene.contact_id,
            kind=TouchpointKind.CALL,
            purpose=Purpose.REJECTION_REPLY,
            occurred_at=now,
            application_id=scene.application_id,
        ),
        now=now,
    )

    assert set(_reply_states(db, scene, now).values()) == {ItemState.DONE}
    assert _on_today(db, now) == set()
