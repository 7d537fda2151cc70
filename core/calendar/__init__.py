"""Calendar files: invites read into interviews, interviews and follow-up
dates written out as iCalendar. (Home named for the coming work; empty for now.)
"""
