"""Getting data in: applications from spreadsheets (:mod:`.spreadsheet`) and from
job postings (:mod:`.posting`).
"""
