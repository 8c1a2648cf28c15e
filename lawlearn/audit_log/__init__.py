"""The audit page: who did what, when, where, for the office (everything) and a town's
coordinator (their town's events). Writing events is lawlearn/audit.py."""
