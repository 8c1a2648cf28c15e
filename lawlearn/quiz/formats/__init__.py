"""Question-file formats: read Moodle GIFT and Aiken files, write GIFT.

Pure Python (no Flask, no database), so the CLI, the web import and the tests share it.

- :func:`read_gift` / :func:`read_aiken` take the uploaded bytes (or text) and return a
  :class:`ParseResult`: the questions we can use, plus a :class:`SkippedQuestion` for each
  well-formed question of a kind we do not support. A syntax error anywhere refuses the
  whole file with a :class:`QuestionFormatError` whose ``errors`` list every (line, message).
- :func:`write_gift` writes questions as GIFT that Moodle and :func:`read_gift` import back.

The messages are plain English sentences kept in ``_messages`` so they can be translated.
"""

from __future__ import annotations

from ._common import ImportedQuestion, ParseResult, QuestionFormatError, SkippedQuestion
from .aiken import read_aiken
from .gift import read_gift, write_gift

__all__ = [
    "ImportedQuestion",
    "ParseResult",
    "QuestionFormatError",
    "SkippedQuestion",
    "read_aiken",
    "read_gift",
    "write_gift",
]
