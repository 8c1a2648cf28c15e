"""Writing banks into the database: the shipped ones at `lawlearn init-db`, imported ones on
request. Callers commit.

Questions are matched by their key (the bank's id). A question whose text changes is updated in
place: attempts already taken keep their own copy of the text (AttemptItem), so nothing a
participant saw changes. A question that leaves the file becomes inactive rather than deleted,
because old attempts and their statistics still point at it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from lawlearn.audit import actor_id
from lawlearn.extensions import db
from lawlearn.models import AuditEvent, Question, Quiz
from lawlearn.paths import QUIZZES_DIR
from lawlearn.quiz.banks import BankError, BankSpec, file_hash, read_bank_file

QUESTION_FIELDS = ("kind", "stem", "options", "answer", "explanation", "source", "position",
                   "active")
QUIZ_FIELDS = ("title", "topic", "audiences", "pass_score", "draw", "time_limit_minutes",
               "attempts_per_day")


@dataclass
class SyncResult:
    slug: str
    created: bool = False
    added: int = 0
    updated: int = 0
    retired: int = 0
    unchanged: int = 0
    skipped_file: bool = False  # the file had not changed since it was last loaded

    def __str__(self) -> str:
        if self.skipped_file:
            return f"{self.slug}: unchanged"
        verb = "created" if self.created else "updated"
        return (f"{self.slug}: {verb} ({self.added} new, {self.updated} changed, "
                f"{self.retired} removed, {self.unchanged} unchanged)")


def sync_bank(bank: BankSpec, *, source_hash: str | None, actor=None) -> SyncResult:
    """Make the database hold `bank` exactly; every question must have its key."""
    quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == bank.slug))
    result = SyncResult(bank.slug, created=quiz is None)
    if quiz is None:
        quiz = Quiz(slug=bank.slug)
        db.session.add(quiz)
    for name in QUIZ_FIELDS:
        setattr(quiz, name, getattr(bank, name))
    quiz.source_hash, quiz.active = source_hash, True
    db.session.flush()
    existing = {q.key: q for q in db.session.scalars(
        sa.select(Question).where(Question.quiz_id == quiz.id))}
    for position, spec in enumerate(bank.questions, start=1):
        values = {"kind": spec.kind, "stem": spec.stem, "options": list(spec.options),
                  "answer": spec.answer, "explanation": spec.explanation,
                  "source": spec.source, "position": position, "active": True,
                  "name": spec.name}
        question = existing.pop(spec.key, None)
        if question is None:
            db.session.add(Question(quiz_id=quiz.id, key=spec.key, **values))
            result.added += 1
        elif any(getattr(question, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(question, k, v)
            result.updated += 1
        else:
            result.unchanged += 1
    for question in existing.values():
        if question.active:
            question.active = False
            result.retired += 1
    db.session.flush()
    record_quiz(actor, "load_bank", quiz, {"added": result.added, "updated": result.updated,
                                           "retired": result.retired})
    return result


def record_quiz(actor, action: str, quiz: Quiz, changes: dict | None = None) -> None:
    """An audit event naming the quiz by its slug (a quiz has no `code`)."""
    db.session.add(AuditEvent(user_id=actor_id(actor), action=action, object_type="quizzes",
                              object_id=quiz.id, object_code=quiz.slug, changes=changes))


def shipped_paths(folder: Path = QUIZZES_DIR) -> list[Path]:
    return sorted(folder.glob("*.yaml"))


def shipped_slugs(folder: Path = QUIZZES_DIR) -> set[str]:
    return {p.stem for p in shipped_paths(folder)}


def sync_shipped_banks(folder: Path = QUIZZES_DIR, actor=None) -> list[SyncResult]:
    """Load every shipped bank whose file changed since it was last loaded. All files are
    checked first: one broken file loads nothing (BankError lists every problem)."""
    banks, problems = [], []
    for path in shipped_paths(folder):
        try:
            banks.append((read_bank_file(path), file_hash(path.read_bytes())))
        except BankError as error:
            problems += error.problems
    if problems:
        raise BankError(problems)
    loaded = dict(db.session.execute(sa.select(Quiz.slug, Quiz.source_hash)).all())
    results = []
    for bank, digest in banks:
        if loaded.get(bank.slug) == digest:
            results.append(SyncResult(bank.slug, skipped_file=True))
            continue
        results.append(sync_bank(bank, source_hash=digest, actor=actor))
    return results
