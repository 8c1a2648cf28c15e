"""Every column that stores a law topic code holds the longest code: a topic longer than its
column loads on SQLite (which ignores lengths) and fails on PostgreSQL."""

from __future__ import annotations

import sqlalchemy as sa

from lawlearn import codes
from lawlearn.models import Base


def test_every_topic_column_holds_the_longest_topic_code():
    longest = max(len(code) for code in codes.TOPICS.codes)
    topic_columns = [column for table in Base.metadata.tables.values()
                     for column in table.columns
                     if column.name == "topic" and isinstance(column.type, sa.String)]
    assert {column.table.name for column in topic_columns} >= {
        "quizzes", "session_topics", "plan_milestone_topics"}
    for column in topic_columns:
        assert column.type.length >= longest, f"{column.table.name}.{column.name}"
