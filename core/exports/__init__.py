"""Getting data out: every export format lives here (mail links and letters
today; CSV, JSON, vCard and calendar files next), each a pure function of
plain records or a read of the database that writes one file.
"""
