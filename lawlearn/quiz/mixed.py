"""Mixed papers (综合卷): a quiz that draws each attempt's questions from several banks by a
blueprint, e.g. 民法典 5, 反电信网络诈骗法 3, 宪法 2.

A mixed paper is a `Quiz` row (topic `general`, no questions of its own) with `QuizPart` rows,
so starting, timing, limiting, scoring, the result page and the coverage report are the quiz
code paths unchanged; only `operations.draw_items` looks at the parts. `plan_paper` checks
everything and writes nothing; `save_paper` writes what was planned (callers commit).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import sqlalchemy as sa

from lawlearn import codes
from lawlearn.extensions import db
from lawlearn.i18n import gettext as _
from lawlearn.models import Question, Quiz, QuizPart
from lawlearn.quiz.banks import SLUG_RE, BankError
from lawlearn.quiz.sync import record_quiz, shipped_slugs

LINE_RE = re.compile(r"^(?P<bank>.+?)[\s:：,，]+(?P<count>\d+)\s*(?:题|道)?$")


@dataclass
class PaperSpec:
    slug: str
    title: str
    pass_score: int = 60
    time_limit_minutes: int = 15
    attempts_per_day: int = 3
    parts: list[tuple[str, int]] = field(default_factory=list)   # (bank slug or name, count)
    audiences: list[str] = field(default_factory=lambda: [k.code for k in codes.KINDS])


@dataclass
class PlannedPaper:
    spec: PaperSpec
    banks: list[tuple[Quiz, int]]     # (bank, count) in blueprint order
    existing: Quiz | None


def parse_blueprint(text: str) -> tuple[list[tuple[str, int]], list[str]]:
    """"民法典 5" per line (a bank's code or its law's name, then how many) → parts, problems."""
    parts, problems = [], []
    for number, line in enumerate((text or "").splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        match = LINE_RE.match(line)
        if match is None:
            problems.append(_("Blueprint line %(line)d: write a bank's code or law and a number, "
                              "such as “civil-code 5”.", line=number))
            continue
        parts.append((match.group("bank").strip(), int(match.group("count"))))
    return parts, problems


def _bank(name: str) -> Quiz | None:
    """A question bank by its code, or by its law's name or code (the law's shipped bank)."""
    wanted = name.strip().lower()
    topic = codes.TOPICS.parse(wanted)
    slugs = [wanted] + ([topic] if topic else [])
    found = {q.slug: q for q in db.session.scalars(sa.select(Quiz).where(Quiz.slug.in_(slugs)))}
    return next((found[s] for s in slugs if s in found), None)


def plan_paper(spec: PaperSpec) -> PlannedPaper:
    problems = []
    spec.slug = (spec.slug or "").strip().lower()
    spec.title = (spec.title or "").strip()
    if not SLUG_RE.match(spec.slug):
        problems.append(_("“%(slug)s” cannot be a paper's code: use 1–40 lowercase letters, "
                          "digits or hyphens (for example mixed-2026).", slug=spec.slug))
    elif spec.slug in shipped_slugs():
        problems.append(_("%(slug)s is a bank shipped with the app. Choose another code.",
                          slug=spec.slug))
    existing = db.session.scalar(sa.select(Quiz).where(Quiz.slug == spec.slug))
    if existing is not None and not existing.mixed:
        problems.append(_("%(slug)s is a question bank, not a mixed paper. Choose another code.",
                          slug=spec.slug))
    if not spec.title or len(spec.title) > 100:
        problems.append(_("Give the paper a title (at most 100 characters)."))
    for name, value, low, high in (("pass_score", spec.pass_score, 0, 100),
                                   ("time_limit_minutes", spec.time_limit_minutes, 1, 600),
                                   ("attempts_per_day", spec.attempts_per_day, 1, 100)):
        if not (isinstance(value, int) and not isinstance(value, bool) and low <= value <= high):
            problems.append(_("%(name)s must be a whole number from %(low)d to %(high)d.",
                              name=name, low=low, high=high))
    banks = _plan_parts(spec, problems)
    if problems:
        raise BankError(problems)
    return PlannedPaper(spec, banks, existing)


def _plan_parts(spec: PaperSpec, problems: list[str]) -> list[tuple[Quiz, int]]:
    if not spec.parts:
        problems.append(_("The blueprint is empty: name at least one bank and how many "
                          "questions to draw from it."))
    banks: list[tuple[Quiz, int]] = []
    counts = _active_counts()
    for name, count in spec.parts:
        bank = _bank(name)
        if bank is None or bank.mixed or bank.slug == spec.slug:
            problems.append(_("No question bank is called “%(name)s”.", name=name))
        elif any(b.id == bank.id for b, _n in banks):
            problems.append(_("%(name)s is in the blueprint twice.", name=name))
        elif not 1 <= count <= counts.get(bank.id, 0):
            problems.append(_("%(name)s has %(have)d questions: draw 1 to %(have)d, not "
                              "%(count)d.", name=name, have=counts.get(bank.id, 0), count=count))
        else:
            banks.append((bank, count))
    if sum(n for _b, n in banks) > 100:
        problems.append(_("A paper draws at most 100 questions."))
    return banks


def _active_counts() -> dict[int, int]:
    return dict(db.session.execute(sa.select(Question.quiz_id, sa.func.count()).where(
        Question.active).group_by(Question.quiz_id)).all())


def save_paper(planned: PlannedPaper, actor=None) -> Quiz:
    """Create the paper, or replace an existing paper's settings and blueprint."""
    spec = planned.spec
    paper = planned.existing
    if paper is None:
        paper = Quiz(slug=spec.slug)
        db.session.add(paper)
    paper.title, paper.topic, paper.active = spec.title, codes.GENERAL_TOPIC, True
    paper.audiences = list(spec.audiences)
    paper.pass_score, paper.time_limit_minutes = spec.pass_score, spec.time_limit_minutes
    paper.attempts_per_day = spec.attempts_per_day
    paper.draw = sum(n for _b, n in planned.banks)
    paper.parts.clear()
    db.session.flush()
    paper.parts.extend(QuizPart(bank_id=bank.id, count=n, position=i)
                       for i, (bank, n) in enumerate(planned.banks, 1))
    db.session.flush()
    record_quiz(actor, "save_mixed_paper", paper,
                {"blueprint": [[bank.slug, n] for bank, n in planned.banks]})
    return paper


def paper_from_yaml(content: dict, slug: str) -> tuple[PaperSpec, list[str]]:
    """A mixed paper from a bank-like YAML file whose `blueprint:` lists banks and counts
    (`- {bank: civil-code, count: 5}` or `- 民法典 5`) instead of `questions:`, and the problems
    of its entries (the caller plans the rest too, so every problem is told at once)."""
    problems: list[str] = []
    parts: list[tuple[str, int]] = []
    blueprint = content.get("blueprint")
    if not isinstance(blueprint, list):
        problems.append(_("blueprint must be a list of banks and counts, such as "
                          "“- {bank: civil-code, count: 5}”."))
        blueprint = []
    for number, entry in enumerate(blueprint, 1):
        if isinstance(entry, dict) and isinstance(entry.get("bank"), str) \
                and isinstance(entry.get("count"), int) and not isinstance(entry["count"], bool):
            parts.append((entry["bank"], entry["count"]))
            continue
        found, bad = parse_blueprint(entry) if isinstance(entry, str) else ([], [""])
        if bad or len(found) != 1:
            problems.append(_("blueprint entry %(n)d: write a bank and a count, such as "
                              "“{bank: civil-code, count: 5}”.", n=number))
        else:
            parts += found
    if "questions" in content:
        problems.append(_("A file is a bank (questions:) or a mixed paper (blueprint:), not both."))
    audiences = content.get("audiences")
    return PaperSpec(
        slug=slug, title=str(content.get("title") or ""), parts=parts,
        pass_score=content.get("pass_score", 60),
        time_limit_minutes=content.get("time_limit_minutes", 15),
        attempts_per_day=content.get("attempts_per_day", 3),
        audiences=list(audiences) if isinstance(audiences, list) and audiences
        and all(a in codes.KINDS for a in audiences) else [k.code for k in codes.KINDS]), \
        problems
