"""Calendar files: invites read into interviews (:mod:`.invites`, :mod:`.importing`),
interviews and follow-up dates written out as iCalendar (:mod:`.export`).
"""
