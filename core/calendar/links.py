"""Finding the video-call link in an invite (Teams, Zoom, Google Meet, Webex)."""

from __future__ import annotations

import re
from collections.abc import Iterable

# The meeting links each service puts into its invites; a plain web link in
# the same text (a dial-in help page, a privacy notice) is not one of them.
_MEETING = re.compile(
    r"https://(?:"
    r"teams\.microsoft\.com/(?:l/meetup-join|meet)/"
    r"|teams\.live\.com/meet/"
    r"|(?:[\w-]+\.)?zoom(?:gov)?\.us/(?:j|my|w|s)/"
    r"|meet\.google\.com/[a-z]"
    r"|(?:[\w-]+\.)?webex\.com/(?:meet/|join/|[\w-]+/j\.php|wbxmjs/|[\w-]+/meet/)"
    r")[^\s<>\"'\\]*",
    re.IGNORECASE,
)
# Outlook and Google wrap links in <...> or end sentences after them.
_TRAILING = ".,;:)]}>"

SERVICES = {
    "teams.": "Microsoft Teams",
    "zoom": "Zoom",
    "meet.google.com": "Google Meet",
    "webex.com": "Webex",
}


def find_video_link(texts: Iterable[str]) -> str:
    """The first meeting link in ``texts`` (searched in the order given), or ""."""
    for text in texts:
        # Folded lines and escaped text from iCalendar ("\n", "\,") must not cut links.
        match = _MEETING.search(text.replace("\\n", " ").replace("\\,", ","))
        if match:
            return match.group(0).rstrip(_TRAILING)
    return ""


def service_name(link: str) -> str:
    """ "Zoom", "Microsoft Teams"... for a link :func:`find_video_link` found ("" if none)."""
    lowered = link.lower()
    return next((name for part, name in SERVICES.items() if part in lowered), "")
