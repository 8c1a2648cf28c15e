"""Exporting a bank's active questions as YAML (our format), GIFT (Moodle) or XLSX (题库).

GIFT has no field for the cited article, so `source` is left out of a GIFT export; YAML and XLSX
carry everything. A GIFT question is named by the name it was imported with (`::name::`), else
by its key.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from lawlearn.extensions import db
from lawlearn.models import Question, Quiz
from lawlearn.quiz.banks import BankSpec, QuestionSpec, write_yaml

EXPORT_FORMATS = ("yaml", "gift", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Export:
    body: bytes
    mimetype: str
    filename: str
    questions: int


def bank_spec(quiz: Quiz) -> BankSpec:
    questions = db.session.scalars(sa.select(Question).where(
        Question.quiz_id == quiz.id, Question.active).order_by(Question.position, Question.id))
    return BankSpec(
        slug=quiz.slug, title=quiz.title, topic=quiz.topic, audiences=list(quiz.audiences or []),
        pass_score=quiz.pass_score, draw=quiz.draw, time_limit_minutes=quiz.time_limit_minutes,
        attempts_per_day=quiz.attempts_per_day,
        questions=[QuestionSpec(kind=q.kind, stem=q.stem, options=list(q.options or []),
                                answer=q.answer, explanation=q.explanation or "",
                                source=q.source or "", key=q.key, name=q.name)
                   for q in questions])


def paper_yaml(quiz: Quiz) -> str:
    """A mixed paper as the YAML `blueprint:` file that `quiz import` reads back."""
    import yaml

    return yaml.safe_dump({
        "title": quiz.title, "audiences": list(quiz.audiences or []),
        "pass_score": quiz.pass_score, "time_limit_minutes": quiz.time_limit_minutes,
        "attempts_per_day": quiz.attempts_per_day,
        "blueprint": [{"bank": part.bank.slug, "count": part.count} for part in quiz.parts]},
        allow_unicode=True, sort_keys=False, width=100)


def export_bank(quiz: Quiz, fmt: str) -> Export:
    """A bank's questions in `fmt`; a mixed paper has none of its own: its blueprint, as YAML
    whatever was asked (the only format that holds one)."""
    if quiz.mixed:
        return Export(paper_yaml(quiz).encode("utf-8"), "application/yaml; charset=utf-8",
                      f"{quiz.slug}.yaml", 0)
    bank = bank_spec(quiz)
    if fmt == "yaml":
        body, mimetype = write_yaml(bank).encode("utf-8"), "application/yaml; charset=utf-8"
    elif fmt == "gift":
        body, mimetype = _gift(bank).encode("utf-8"), "text/plain; charset=utf-8"
    elif fmt == "xlsx":
        from lawlearn.quiz.xlsx import write_xlsx

        body, mimetype = write_xlsx(bank.questions, title=quiz.slug), XLSX_TYPE
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    suffix = {"yaml": "yaml", "gift": "gift.txt", "xlsx": "xlsx"}[fmt]
    return Export(body, mimetype, f"{quiz.slug}.{suffix}", len(bank.questions))


def _gift(bank: BankSpec) -> str:
    from lawlearn.quiz.formats import ImportedQuestion, write_gift

    return write_gift(ImportedQuestion(kind=q.kind, stem=q.stem, options=list(q.options),
                                       answer=q.answer, explanation=q.explanation,
                                       name=q.name or q.key)
                      for q in bank.questions)
