"""Question banks as files: the YAML format of quizzes/README.md, read and checked.

A bank is checked completely before anything is written, and every problem names the file and
the question id, so `lawlearn quiz check` can list them all at once. The shipped banks follow
stricter rules (`shipped=True`: file name = slug = topic, at least 20 questions, two kinds) than
a bank someone imports (at least one question).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from lawlearn import codes
from lawlearn.i18n import gettext as _

KINDS = ("single", "multiple", "true_false")
LETTERS = "ABCDEF"
MIN_SHIPPED_QUESTIONS = 20
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
DEFAULTS = {"pass_score": 60, "draw": 10, "time_limit_minutes": 15, "attempts_per_day": 3}


@dataclass
class QuestionSpec:
    kind: str
    stem: str
    options: list[str]                 # [] for true_false
    answer: str | list[str] | bool     # "B" | ["A", "C"] | True
    explanation: str = ""
    source: str = ""
    key: str | None = None             # the bank's id; None until a bank gives it one
    name: str | None = None            # its name in the file (GIFT ::name::), kept for export
    place: str = ""                    # where it came from in its file, for messages


@dataclass
class BankSpec:
    slug: str
    title: str
    topic: str
    audiences: list[str] = field(default_factory=lambda: [k.code for k in codes.KINDS])
    pass_score: int = 60
    draw: int = 10
    time_limit_minutes: int = 15
    attempts_per_day: int = 3
    questions: list[QuestionSpec] = field(default_factory=list)


class BankError(ValueError):
    """A bank file that can't be used; `problems` lists every reason."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class SkippedQuestion:
    """A question of a kind we don't support, left out of an import with a warning."""

    place: str        # "line 12", "row 5"
    name: str | None
    reason: str

    def __str__(self) -> str:
        named = f" ({self.name})" if self.name else ""
        return f"{self.place}{named}: {self.reason}"


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# A bank nests three levels deep; a document nested far deeper is a bomb, and PyYAML spends
# seconds of CPU on one before failing with RecursionError. Counted before parsing.
MAX_BRACKET_NESTING = 50


def _bracket_nesting(text: str) -> int:
    depth = peak = 0
    for bracket in re.findall(r"[\[\]{}]", text):
        depth += 1 if bracket in "[{" else -1
        peak = max(peak, depth)
    return peak


def parse_yaml(data: bytes, name: str):
    try:
        text = data.decode("utf-8")
        if _bracket_nesting(text) > MAX_BRACKET_NESTING:
            raise RecursionError
        return yaml.safe_load(text)
    except UnicodeDecodeError:
        raise BankError([_("%(file)s: the file is not UTF-8 text.", file=name)]) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = _("line %(line)d", line=mark.line + 1) if mark else ""
        raise BankError([_("%(file)s: not valid YAML %(where)s: %(problem)s", file=name,
                           where=where, problem=getattr(error, "problem", None) or error)]) \
            from None
    except (ValueError, RecursionError):
        # A 5,000-digit number (beyond Python's int parsing limit) or lists nested thousands
        # deep: no bank has either, and the parser fails on them outside YAMLError.
        raise BankError([_("%(file)s: not a question bank: it holds a number with thousands "
                           "of digits or lists nested thousands deep.", file=name)]) from None


def read_bank(data: bytes, name: str, *, shipped: bool = False,
              stem: str | None = None) -> BankSpec:
    """The bank in a YAML file's bytes; raises BankError listing every problem."""
    content = parse_yaml(data, name)
    problems = check_bank(content, name, shipped=shipped, stem=stem)
    if problems:
        raise BankError(problems)
    return bank_from_data(content)


def read_bank_file(path: Path, *, shipped: bool = True) -> BankSpec:
    return read_bank(path.read_bytes(), path.name, shipped=shipped, stem=path.stem)


def _int_in(value, low: int, high: int | None = None) -> bool:
    return (isinstance(value, int) and not isinstance(value, bool) and value >= low
            and (high is None or value <= high))


def _text(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def check_bank(content, name: str, *, shipped: bool = False, stem: str | None = None) -> list[str]:
    """Every problem with a bank's content, each starting with the file name (and question id)."""
    if not isinstance(content, dict):
        return [_("%(file)s: the top level must be a mapping (slug:, title:, questions: …).",
                  file=name)]
    problems = [f"{name}: {p}" for p in _check_settings(content, shipped=shipped, stem=stem)]
    questions = content.get("questions")
    if not isinstance(questions, list):
        return problems + [_("%(file)s: questions must be a list.", file=name)]
    least = MIN_SHIPPED_QUESTIONS if shipped else 1
    if len(questions) < least:
        problems.append(_("%(file)s: %(count)d questions, need at least %(least)d.", file=name,
                          count=len(questions), least=least))
    draw = content.get("draw", DEFAULTS["draw"])
    if not _int_in(draw, 1, max(len(questions), 1)):
        problems.append(_("%(file)s: draw must be a whole number from 1 to the number of "
                          "questions (%(count)d), not %(value)r.", file=name,
                          count=len(questions), value=draw))
    slug = content.get("slug") if isinstance(content.get("slug"), str) else ""
    # Imported banks may outgrow 999 questions; the shipped ones keep the README's NNN.
    digits = "{3}" if shipped else "{3,4}"
    id_re = re.compile(rf"^{re.escape(slug)}-\d{digits}$")
    seen: set = set()
    kinds_used: set = set()
    for index, question in enumerate(questions, 1):
        problems += _check_question(question, index, name, id_re, seen, kinds_used)
    if shipped and len(kinds_used) < 2:
        problems.append(_("%(file)s: uses only the kinds %(kinds)s; use at least two.",
                          file=name, kinds=", ".join(sorted(kinds_used)) or "—"))
    return problems


def _check_settings(content: dict, *, shipped: bool, stem: str | None) -> list[str]:
    problems = []
    slug, topic = content.get("slug"), content.get("topic")
    if not (isinstance(slug, str) and SLUG_RE.match(slug)):
        problems.append(_("slug must be 1–40 lowercase letters, digits or hyphens, not %(value)r.",
                          value=slug))
    # A bank to import may leave the topic out (the import decides, see bank_import) or be a
    # general (综合) one; a shipped bank is one law's.
    allowed = codes.TOPICS if shipped else codes.BANK_TOPICS
    if topic not in allowed and (shipped or topic not in (None, "")):
        problems.append(_("topic %(value)r is not one of %(topics)s.", value=topic,
                          topics=", ".join(allowed.codes)))
    if shipped and not (stem == slug == topic):
        problems.append(_("the file name (%(stem)s), slug (%(slug)s) and topic (%(topic)s) must "
                          "be the same.", stem=stem, slug=slug, topic=topic))
    if not (_text(content.get("title")) and len(content["title"]) <= 100):
        problems.append(_("title is missing (at most 100 characters)."))
    audiences = content.get("audiences")
    if not (isinstance(audiences, list) and audiences
            and all(a in codes.KINDS for a in audiences)):
        problems.append(_("audiences must be a non-empty list of %(kinds)s.",
                          kinds=", ".join(codes.KINDS.codes)))
    if not _int_in(content.get("pass_score"), 0, 100):
        problems.append(_("pass_score must be a whole number from 0 to 100, not %(value)r.",
                          value=content.get("pass_score")))
    if not _int_in(content.get("time_limit_minutes"), 1, 600):
        problems.append(_("time_limit_minutes must be a whole number of minutes (1–600), "
                          "not %(value)r.", value=content.get("time_limit_minutes")))
    if "attempts_per_day" in content and not _int_in(content["attempts_per_day"], 1, 100):
        problems.append(_("attempts_per_day must be a whole number from 1 to 100, not %(value)r.",
                          value=content["attempts_per_day"]))
    return problems


def _check_question(question, index: int, name: str, id_re, seen: set,
                    kinds_used: set) -> list[str]:
    if not isinstance(question, dict):
        return [_("%(file)s question #%(index)d: not a mapping.", file=name, index=index)]
    qid = question.get("id")
    where = f"{name} {qid if isinstance(qid, str) and qid else f'#{index}'}"
    problems = []
    if not (isinstance(qid, str) and id_re.match(qid)):
        problems.append(_("id must be the slug, a hyphen and a number, such as civil-code-001."))
    elif qid in seen:
        problems.append(_("this id is used twice."))
    else:
        seen.add(qid)
    kind = question.get("kind")
    if kind not in KINDS:
        return [f"{where}: " + _("kind %(value)r must be one of %(kinds)s.", value=kind,
                                 kinds=", ".join(KINDS))]
    kinds_used.add(kind)
    if not _text(question.get("stem")):
        problems.append(_("stem is empty."))
    if not _text(question.get("explanation")):
        problems.append(_("explanation is empty."))
    source = question.get("source")
    if not (_text(source) and len(source) <= 200):
        problems.append(_("source is empty (at most 200 characters)."))
    problems += _check_answer(kind, question.get("options"), question.get("answer"))
    return [f"{where}: {p}" for p in problems]


def _check_answer(kind: str, options, answer) -> list[str]:
    if kind == "true_false":
        problems = []
        if options is not None:
            problems.append(_("true_false questions have no options."))
        if not isinstance(answer, bool):
            problems.append(_("a true_false answer is true or false (unquoted), not %(value)r.",
                              value=answer))
        return problems
    if not isinstance(options, list) or not 2 <= len(options) <= 6:
        return [_("a %(kind)s question needs a list of 2–6 options.", kind=kind)]
    if not all(_text(o) for o in options):
        return [_("every option must be non-empty text (quote values YAML may misread).")]
    if len({o.strip() for o in options}) != len(options):
        return [_("the options must be different from each other.")]
    valid = LETTERS[: len(options)]
    if kind == "single":
        if not (isinstance(answer, str) and len(answer) == 1 and answer in valid):
            return [_("a single answer is one letter among %(letters)s, not %(value)r.",
                      letters=", ".join(valid), value=answer)]
    elif not (isinstance(answer, list) and len(answer) >= 2
              and all(isinstance(a, str) and len(a) == 1 and a in valid for a in answer)
              and len(set(answer)) == len(answer)):
        return [_("a multiple answer is a list of 2 or more different letters among "
                  "%(letters)s, not %(value)r.", letters=", ".join(valid), value=answer)]
    return []


def bank_from_data(content: dict) -> BankSpec:
    """A checked bank's content as a BankSpec."""
    questions = [
        QuestionSpec(kind=q["kind"], stem=q["stem"].strip(),
                     options=[o.strip() for o in q.get("options") or []],
                     answer=sorted(q["answer"]) if q["kind"] == "multiple" else q["answer"],
                     explanation=(q.get("explanation") or "").strip(),
                     source=(q.get("source") or "").strip(), key=q["id"], place=q["id"],
                     name=_name(q.get("name")))
        for q in content["questions"]]
    return BankSpec(
        slug=content["slug"], title=content["title"].strip(), topic=content.get("topic") or "",
        audiences=list(content["audiences"]), pass_score=content["pass_score"],
        draw=content.get("draw", DEFAULTS["draw"]),
        time_limit_minutes=content["time_limit_minutes"],
        attempts_per_day=content.get("attempts_per_day", DEFAULTS["attempts_per_day"]),
        questions=questions)


def _name(value) -> str | None:
    """A question's optional `name`, as text of at most 200 characters (else none)."""
    text = str(value).strip() if isinstance(value, (str, int)) else ""
    return text[:200] or None


def bank_to_data(bank: BankSpec) -> dict:
    """The YAML content of a bank, in the README's order of keys."""
    questions = []
    for q in bank.questions:
        item = {"id": q.key, "kind": q.kind, "stem": q.stem}
        if q.name:
            item = {"id": q.key, "name": q.name, "kind": q.kind, "stem": q.stem}
        if q.kind != "true_false":
            item["options"] = list(q.options)
        item.update(answer=q.answer, explanation=q.explanation, source=q.source)
        questions.append(item)
    return {"slug": bank.slug, "title": bank.title, "topic": bank.topic,
            "audiences": list(bank.audiences), "pass_score": bank.pass_score, "draw": bank.draw,
            "time_limit_minutes": bank.time_limit_minutes,
            "attempts_per_day": bank.attempts_per_day, "questions": questions}


def write_yaml(bank: BankSpec) -> str:
    return yaml.safe_dump(bank_to_data(bank), allow_unicode=True, sort_keys=False, width=100)


def check_folder(folder: Path, laws=None, shipped_dir: Path | None = None) -> tuple[int, list[str]]:
    """(banks checked, problems) for every *.yaml under `folder`, with the citation check when
    `laws` (a LawTexts) is given. A folder of banks follows the shipped banks' rules; a single
    file outside `shipped_dir` is checked as a bank to import (an export, a town's own bank)."""
    if folder.is_file():
        paths = [folder]
        shipped = shipped_dir is not None and folder.resolve().parent == shipped_dir.resolve()
    else:
        paths, shipped = sorted(folder.glob("*.yaml")), True
    problems: list[str] = []
    for path in paths:
        try:
            bank = read_bank_file(path, shipped=shipped)
        except BankError as error:
            problems += error.problems
            continue
        if laws is not None:
            problems += check_citations(bank, path.name, laws)
    return len(paths), problems


def check_citations(bank: BankSpec, name: str, laws) -> list[str]:
    from lawlearn.quiz.citations import check_source

    return [f"{name} {q.key}: {p}" for q in bank.questions
            for p in check_source(q.source, bank.topic, laws)]
