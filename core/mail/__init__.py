"""Mail: templates and drafts, message building, the SMTP transport, mail
accounts and their keyring credentials, provider presets, and the outbox that
sends each message at most once.
"""
