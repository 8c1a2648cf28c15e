"""Importing a bank from a YAML, GIFT, Aiken or XLSX file, from the command line or the web.

`prepare_import` reads and checks everything and writes nothing; `apply_import` writes what it
prepared. Decisions (see quizzes/README.md):

- slug: given, else the file name's stem; it must not be a shipped bank's slug, because
  `init-db` keeps those equal to their files in quizzes/.
- topic (the law, for the knowledge-gap table): given, else the YAML's, else the bank's current
  topic, else the slug when it is a topic code; otherwise the bank is a general (综合) one
  (`codes.GENERAL_TOPIC`): a bank about several laws, left out of the per-law figures.
- Questions of GIFT, Aiken and XLSX files have no ids: a question whose GIFT name (`::name::`)
  or text (stem) is already in the bank keeps its key, so its statistics continue; others get a
  new key. The GIFT name itself is kept (`Question.name`) and written back on export.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from lawlearn import codes
from lawlearn.extensions import db
from lawlearn.i18n import gettext as _
from lawlearn.models import Question, Quiz
from lawlearn.quiz.banks import (
    DEFAULTS,
    SLUG_RE,
    BankError,
    BankSpec,
    QuestionSpec,
    SkippedQuestion,
    file_hash,
    parse_yaml,
    read_bank,
)
from lawlearn.quiz.messages import translate_format_message
from lawlearn.quiz.mixed import PlannedPaper, paper_from_yaml, plan_paper, save_paper
from lawlearn.quiz.sync import SyncResult, shipped_slugs, sync_bank

FORMATS = ("yaml", "gift", "aiken", "xlsx")
EXTENSIONS = {".yaml": "yaml", ".yml": "yaml", ".gift": "gift", ".aiken": "aiken",
              ".xlsx": "xlsx", ".gift.txt": "gift", ".aiken.txt": "aiken"}


@dataclass
class PreparedImport:
    bank: BankSpec
    source_hash: str
    skipped: list[SkippedQuestion] = field(default_factory=list)
    existing: bool = False           # the slug is already a bank: its questions are replaced
    retiring: int = 0                # questions of that bank the file no longer has
    paper: PlannedPaper | None = None  # a YAML `blueprint:` file: a mixed paper, no questions


def stem_and_format(filename: str, given: str | None) -> tuple[str, str]:
    """The file's stem (for the default slug) and its format, from `given` or the extension."""
    lower = filename.lower()
    for ext in sorted(EXTENSIONS, key=len, reverse=True):
        if lower.endswith(ext):
            return filename[: -len(ext)], given or EXTENSIONS[ext]
    stem = filename.rsplit(".", 1)[0] if "." in filename else filename
    if given:
        return stem, given
    raise BankError([_("Cannot tell the format from the file name %(file)s: choose yaml, gift, "
                       "aiken or xlsx.", file=filename)])


def prepare_import(data: bytes, filename: str, *, fmt: str | None = None,
                   slug: str | None = None, topic: str | None = None,
                   title: str | None = None) -> PreparedImport:
    stem, fmt = stem_and_format(filename, fmt)
    slug = (slug or stem).strip().lower()
    _check_slug(slug)
    quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == slug))
    if fmt == "yaml" and _is_blueprint(data, filename):
        return _prepare_paper(data, filename, slug, title)
    if quiz is not None and quiz.mixed:
        raise BankError([_("%(slug)s is a mixed paper, not a question bank. Import under "
                           "another slug.", slug=slug)])
    if fmt == "yaml":
        bank, skipped = _yaml_bank(data, filename, slug), []
    else:
        questions, skipped = _read_questions(data, fmt)
        if not questions:
            raise BankError([_("The file has no question we can use.")])
        bank = _new_bank(slug, quiz, questions)
    bank.topic = _topic(topic, quiz, bank)
    bank.title = (title or "").strip() or bank.title or _default_title(bank.topic)
    keys = {q.key for q in bank.questions}
    retiring = 0
    if quiz is not None:
        retiring = db.session.scalar(sa.select(sa.func.count()).where(
            Question.quiz_id == quiz.id, Question.active, Question.key.not_in(keys))) or 0
    return PreparedImport(bank, file_hash(data), skipped, existing=quiz is not None,
                          retiring=retiring)


def apply_import(prepared: PreparedImport, actor=None) -> SyncResult:
    if prepared.paper is not None:
        save_paper(prepared.paper, actor=actor)
        return SyncResult(prepared.bank.slug, created=not prepared.existing)
    return sync_bank(prepared.bank, source_hash=prepared.source_hash, actor=actor)


def _is_blueprint(data: bytes, filename: str) -> bool:
    content = parse_yaml(data, filename)
    return isinstance(content, dict) and "blueprint" in content


def _prepare_paper(data: bytes, filename: str, slug: str, title: str | None) -> PreparedImport:
    """A mixed paper (综合卷) from a YAML `blueprint:` file, checked by the rules of the web
    form (lawlearn.quiz.mixed)."""
    spec, problems = paper_from_yaml(parse_yaml(data, filename), slug)
    spec.title = (title or "").strip() or spec.title
    try:
        planned = plan_paper(spec)
    except BankError as error:
        problems += error.problems
    if problems:
        raise BankError(problems)
    bank = BankSpec(slug=planned.spec.slug, title=planned.spec.title, topic=codes.GENERAL_TOPIC,
                    draw=sum(n for _b, n in planned.banks))
    return PreparedImport(bank, file_hash(data), existing=planned.existing is not None,
                          paper=planned)


def _check_slug(slug: str) -> None:
    if not SLUG_RE.match(slug):
        raise BankError([_("“%(slug)s” cannot be a bank's slug: use 1–40 lowercase letters, "
                           "digits or hyphens (for example civil-code-2).", slug=slug)])
    if slug in shipped_slugs():
        raise BankError([_("%(slug)s is a bank shipped with the app and kept equal to its file "
                           "in quizzes/. Import under another slug.", slug=slug)])


def _yaml_bank(data: bytes, filename: str, slug: str) -> BankSpec:
    bank = read_bank(data, filename)
    if bank.slug != slug:
        # Ids are "<slug>-NNN": renumbering under the new slug keeps them unique.
        for q in bank.questions:
            q.key = f"{slug}-{q.key.rsplit('-', 1)[1]}"
        bank.slug = slug
    return bank


def _read_questions(data: bytes, fmt: str) -> tuple[list[QuestionSpec], list[SkippedQuestion]]:
    if fmt == "xlsx":
        from lawlearn.quiz.xlsx import read_xlsx

        return read_xlsx(data)
    from lawlearn.quiz.formats import QuestionFormatError, read_aiken, read_gift

    try:
        parsed = (read_gift if fmt == "gift" else read_aiken)(data)
    except QuestionFormatError as error:
        raise BankError([_("line %(line)d: %(message)s", line=line,
                           message=translate_format_message(text))
                         for line, text in error.errors]) from None
    questions = [QuestionSpec(kind=q.kind, stem=q.stem, options=list(q.options), answer=q.answer,
                              explanation=q.explanation or "",
                              name=(q.name or "")[:200] or None,
                              place=_("line %(line)d", line=q.line)) for q in parsed.questions]
    skipped = [SkippedQuestion(_("line %(line)d", line=s.line), s.name,
                               translate_format_message(s.reason)) for s in parsed.skipped]
    return questions, skipped


def _new_bank(slug: str, quiz: Quiz | None, questions: list[QuestionSpec]) -> BankSpec:
    """A bank for questions without ids: settings kept from the existing bank, keys kept for
    unchanged stems."""
    settings = {name: getattr(quiz, name) if quiz else DEFAULTS.get(name)
                for name in ("pass_score", "draw", "time_limit_minutes", "attempts_per_day")}
    settings["draw"] = min(settings["draw"], len(questions))
    bank = BankSpec(slug=slug, title=quiz.title if quiz else "", topic=quiz.topic if quiz else "",
                    questions=questions, **settings)
    if quiz is not None:
        bank.audiences = list(quiz.audiences or bank.audiences)
    _assign_keys(bank, quiz)
    return bank


def _assign_keys(bank: BankSpec, quiz: Quiz | None) -> None:
    # name / stem → the bank's keys with it, oldest first: a file may repeat a name or a stem.
    by_stem: dict[str, list[str]] = {}
    by_name: dict[str, list[str]] = {}
    numbers = [0]
    if quiz is not None:
        for key, stem, name in db.session.execute(
                sa.select(Question.key, Question.stem, Question.name).where(
                    Question.quiz_id == quiz.id).order_by(Question.id)):
            by_stem.setdefault(stem.strip(), []).append(key)
            if name:
                by_name.setdefault(name, []).append(key)
            tail = key.rsplit("-", 1)[-1]
            numbers.append(int(tail) if tail.isdigit() else 0)
    next_number = max(numbers) + 1
    taken: set[str] = set()
    for q in bank.questions:
        # A named question is the same question after its text was corrected.
        candidates = (by_name.get(q.name, []) if q.name else []) + by_stem.get(q.stem.strip(), [])
        key = next((k for k in candidates if k not in taken), None)
        if key is None:
            key = f"{bank.slug}-{next_number:03d}"
            next_number += 1
        taken.add(key)
        q.key = key


def _topic(given: str | None, quiz: Quiz | None, bank: BankSpec) -> str:
    if given:
        code = codes.BANK_TOPICS.parse(given)
        if code is None:
            raise BankError([_("“%(topic)s” is not a law topic. Use one of: %(topics)s",
                               topic=given, topics=", ".join(codes.BANK_TOPICS.codes))])
        return code
    if bank.topic in codes.BANK_TOPICS:
        return bank.topic
    if quiz is not None:
        return quiz.topic
    if bank.slug in codes.TOPICS:
        return bank.slug
    return codes.GENERAL_TOPIC


def _default_title(topic: str) -> str:
    topic_code = next(c for c in codes.BANK_TOPICS if c.code == topic)
    return f"{topic_code.aliases[0]}知识测验"
