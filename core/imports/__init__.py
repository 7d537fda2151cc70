"""Getting data in: spreadsheets, vCards and job postings turned into records.
(Home named for the coming work; empty for now.)
"""
