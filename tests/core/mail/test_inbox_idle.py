"""The rules of waiting for new mail: when IDLE is used, what counts as news, the retry pause."""

from __future__ import annotations

from datetime import datetime, timedelta

from afterword.core.mail.inbox_idle import (
    FIRST_RETRY,
    LAST_RETRY,
    idle_offered,
    new_mail,
    next_retry,
)
from afterword.core.replies import CHECK_INTERVAL, NOTICED_GAP, replies_due
from afterword.core.storage.records import MailAccountRecord
from afterword.core.storage.values import MailSecurity


def test_idle_is_used_only_where_the_server_offers_it() -> None:
    assert idle_offered((b"IMAP4REV1", b"IDLE", b"LITERAL+"))
    assert idle_offered(("imap4rev1", "idle"))
    assert not idle_offered((b"IMAP4REV1", b"LITERAL+", b"IDLEX"))


def test_only_an_arrival_is_news() -> None:
    assert new_mail([(3, b"EXISTS")])
    assert not new_mail([(2, b"EXPUNGE"), (b"OK", b"Still here"), (1, b"RECENT")])
    assert not new_mail([])


def test_retries_after_drops_wait_longer_and_longer_up_to_a_limit() -> None:
    pauses = [FIRST_RETRY]
    for _ in range(12):
        pauses.append(next_retry(pauses[-1]))
    assert pauses[:3] == [FIRST_RETRY, FIRST_RETRY * 2, FIRST_RETRY * 4]
    assert pauses == sorted(pauses)
    assert pauses[-1] == LAST_RETRY


def _account(last: datetime | None, *, watch: bool = True) -> MailAccountRecord:
    return MailAccountRecord(
        id=1,
        display_name="Ada",
        email="ada@example.org",
        smtp_host="smtp.example.org",
        smtp_port=465,
        security=MailSecurity.SSL,
        username="ada",
        watch_replies=watch,
        replies_checked_at=last,
    )


def test_news_of_new_mail_allows_a_look_after_a_minute_the_timer_after_15(
    now: datetime,
) -> None:
    two_minutes_ago = _account(now - timedelta(minutes=2))
    assert replies_due(two_minutes_ago, now, notified=True)
    assert not replies_due(two_minutes_ago, now)
    just_now = _account(now - NOTICED_GAP / 2)
    assert not replies_due(just_now, now, notified=True)
    assert replies_due(_account(now - CHECK_INTERVAL), now)
    assert replies_due(_account(None), now, notified=True)
    assert not replies_due(_account(None, watch=False), now, notified=True)
