"""Structure and citation checks for every quiz bank in ``quizzes/*.yaml``.

Standalone: needs only pathlib, re, yaml and pytest (no app fixtures).

Each bank is checked for its format (see ``quizzes/README.md``) and, above all,
that every question's ``source`` names the right law for the bank's topic and an
article that really exists in that law's text under ``../shared/laws/<topic>.md``
(override the folder with the ``LAWLEARN_LAWS_DIR`` environment variable).
"""

import os
import re
from pathlib import Path

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[1]
QUIZ_DIR = REPO_ROOT / "quizzes"
DEFAULT_LAWS_DIR = REPO_ROOT.parent / "shared" / "laws"

# topic code -> the law's full name as it must appear inside 《》 in `source`
# (the law text file is <topic>.md).
TOPIC_LAWS = {
    "constitution": "中华人民共和国宪法",
    "civil-code": "中华人民共和国民法典",
    "labor-contract": "中华人民共和国劳动合同法",
    "land-contract": "中华人民共和国农村土地承包法",
    "anti-fraud": "中华人民共和国反电信网络诈骗法",
    "road-traffic": "中华人民共和国道路交通安全法",
    "anti-drug": "中华人民共和国禁毒法",
    "minors": "中华人民共和国未成年人保护法",
    "mediation": "中华人民共和国人民调解法",
    "work-safety": "中华人民共和国安全生产法",
}

KINDS = {"single", "multiple", "true_false"}
AUDIENCES = {"household", "enterprise_group", "building"}
MIN_QUESTIONS = 20
LETTERS = "ABCDEF"

NUMERAL = "[零一二三四五六七八九十百千]+"
# 《中华人民共和国民法典》第一千零四十七条  (optionally followed by 第二款 / 第三项)
SOURCE_RE = re.compile(
    rf"^《(?P<law>[^《》]+)》第(?P<article>{NUMERAL})条"
    rf"(?:第(?P<paragraph>{NUMERAL})款)?(?:第(?P<item>{NUMERAL})项)?$"
)
# An article line in a law file: 第X条 followed by a space or a full-width space.
ARTICLE_LINE_RE = re.compile(rf"^第(?P<article>{NUMERAL})条[ \u3000]")

_DIGITS = {"零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}


def chinese_to_int(numeral: str) -> int:
    """Convert a Chinese article numeral (一…九, 十, 百, 千, 零) to an int.

    一千零四十七 -> 1047, 十 -> 10, 二十 -> 20, 一百零五 -> 105, 十二 -> 12.
    """
    if not numeral:
        raise ValueError("empty numeral")
    total = 0
    digit = None  # digit waiting for a unit (None = none seen since last unit)
    last_unit = 10_000
    for position, ch in enumerate(numeral):
        if ch in _DIGITS:
            if digit not in (None, 0):
                raise ValueError(f"two digits in a row in {numeral!r}")
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            unit = _UNITS[ch]
            if unit >= last_unit:
                raise ValueError(f"units out of order in {numeral!r}")
            if digit == 0:
                raise ValueError(f"零 before a unit in {numeral!r}")
            # only a leading 十 may stand without a digit (十, 十二)
            if digit is None and not (unit == 10 and position == 0):
                raise ValueError(f"unit without a digit in {numeral!r}")
            total += (1 if digit is None else digit) * unit
            digit = None
            last_unit = unit
        else:
            raise ValueError(f"not a Chinese numeral character: {ch!r} in {numeral!r}")
    return total + (digit or 0)


def laws_dir() -> Path:
    """The folder holding the law texts; fails the test (not skips) if it is missing."""
    path = Path(os.environ.get("LAWLEARN_LAWS_DIR") or DEFAULT_LAWS_DIR)
    if not path.is_dir():
        pytest.fail(
            f"Law texts folder not found: {path}. The citation check needs the law texts "
            f"(../shared/laws/<topic>.md next to the repo); "
            f"set LAWLEARN_LAWS_DIR to point at them.",
            pytrace=False,
        )
    return path


_ARTICLE_CACHE: dict = {}


def load_articles(topic: str, folder: Path) -> dict:
    """Map article number -> (numeral as written in the law, list of its paragraph lines)."""
    key = (topic, str(folder))
    if key in _ARTICLE_CACHE:
        return _ARTICLE_CACHE[key]
    law_file = folder / f"{topic}.md"
    if not law_file.is_file():
        pytest.fail(f"Law text missing for topic {topic!r}: {law_file}", pytrace=False)
    articles: dict = {}
    current = None
    for raw in law_file.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        match = ARTICLE_LINE_RE.match(raw)
        if match:
            numeral = match.group("article")
            current = chinese_to_int(numeral)
            articles.setdefault(current, (numeral, []))[1].append(line)
        elif line.startswith("#"):
            current = None
        elif current is not None and line and not line.startswith("<!--"):
            articles[current][1].append(line)
    _ARTICLE_CACHE[key] = articles
    return articles


def check_source(source, topic: str, folder: Path) -> list:
    """Return a list of problems with a question's `source` (empty list = fine)."""
    if not isinstance(source, str) or not source.strip():
        return ["source is empty"]
    match = SOURCE_RE.match(source.strip())
    if not match:
        return [f"source {source!r} is not of the form 《中华人民共和国……》第X条[第X款]"]
    problems = []
    expected_law = TOPIC_LAWS.get(topic)
    if match.group("law") != expected_law:
        problems.append(
            f"source names 《{match.group('law')}》 but topic {topic!r} needs 《{expected_law}》"
        )
        return problems
    numeral = match.group("article")
    try:
        number = chinese_to_int(numeral)
    except ValueError as exc:
        return [f"cannot read article number in {source!r}: {exc}"]
    articles = load_articles(topic, folder)
    if number not in articles:
        problems.append(f"article 第{numeral}条 ({number}) does not exist in {topic}.md")
        return problems
    written, lines = articles[number]
    if written != numeral:
        problems.append(
            f"article number written as 第{numeral}条; the law text writes it 第{written}条"
        )
    if match.group("paragraph"):
        paragraph = chinese_to_int(match.group("paragraph"))
        # Lines that are not numbered items （一）… count as paragraphs (款); lenient upper bound.
        paragraphs = [ln for ln in lines if not ln.startswith("（")]
        if not 1 <= paragraph <= len(paragraphs):
            problems.append(
                f"第{written}条 has {len(paragraphs)} paragraph(s); "
                f"第{match.group('paragraph')}款 does not exist"
            )
    return problems


def bank_files():
    return sorted(QUIZ_DIR.glob("*.yaml"))


def _nonempty_str(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


# --------------------------------------------------------------------------- tests


def test_chinese_to_int():
    cases = {
        "一": 1,
        "九": 9,
        "十": 10,
        "十二": 12,
        "二十": 20,
        "二十一": 21,
        "一百": 100,
        "一百零五": 105,
        "一百一十": 110,
        "一百四十三": 143,
        "一千": 1000,
        "一千零四十七": 1047,
        "一千零一十": 1010,
        "一千二百六十": 1260,
        "一千一百二十七": 1127,
    }
    for numeral, expected in cases.items():
        assert chinese_to_int(numeral) == expected, numeral
    for bad in ["", "五a", "千百", "五五"]:
        with pytest.raises(ValueError):
            chinese_to_int(bad)


def test_checker_catches_nonexistent_article():
    folder = laws_dir()
    problems = check_source("《中华人民共和国民法典》第一千三百条", "civil-code", folder)
    assert problems and "does not exist" in problems[0], problems
    # a real article passes ...
    assert check_source("《中华人民共和国民法典》第一千零四十七条", "civil-code", folder) == []
    # ... but not under another topic's law name, nor in a malformed source
    assert check_source("《中华人民共和国宪法》第一千零四十七条", "civil-code", folder)
    assert check_source("民法典第一千零四十七条", "civil-code", folder)
    assert check_source("《中华人民共和国民法典》第1047条", "civil-code", folder)
    # a non-canonical numeral for a real article is flagged
    assert check_source("《中华人民共和国宪法》第一十条", "constitution", folder)


def test_law_texts_present_for_every_topic():
    folder = laws_dir()
    for topic in TOPIC_LAWS:
        articles = load_articles(topic, folder)
        assert articles, f"{topic}.md in {folder} has no lines starting with 第X条"


def test_there_are_bank_files():
    assert bank_files(), f"no quiz banks found in {QUIZ_DIR}"


@pytest.mark.parametrize("path", bank_files(), ids=lambda p: p.name)
def test_bank(path):
    folder = laws_dir()
    name = path.name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{name}: top level must be a mapping"

    slug, topic = data.get("slug"), data.get("topic")
    assert path.stem == slug == topic, (
        f"{name}: file stem, slug ({slug!r}) and topic ({topic!r}) must be equal"
    )
    assert topic in TOPIC_LAWS, f"{name}: topic {topic!r} is not one of {sorted(TOPIC_LAWS)}"
    assert _nonempty_str(data.get("title")), f"{name}: title is missing"

    audiences = data.get("audiences")
    assert isinstance(audiences, list) and audiences, f"{name}: audiences must be a non-empty list"
    assert set(audiences) <= AUDIENCES, (
        f"{name}: audiences {audiences} must be among {sorted(AUDIENCES)}"
    )

    pass_score = data.get("pass_score")
    assert (
        isinstance(pass_score, int) and not isinstance(pass_score, bool) and 0 <= pass_score <= 100
    ), f"{name}: pass_score must be an integer 0-100, got {pass_score!r}"
    limit = data.get("time_limit_minutes")
    assert isinstance(limit, int) and not isinstance(limit, bool) and limit > 0, (
        f"{name}: time_limit_minutes must be a positive integer, got {limit!r}"
    )

    questions = data.get("questions")
    assert isinstance(questions, list), f"{name}: questions must be a list"
    assert len(questions) >= MIN_QUESTIONS, (
        f"{name}: {len(questions)} questions, need at least {MIN_QUESTIONS}"
    )

    draw = data.get("draw")
    assert isinstance(draw, int) and not isinstance(draw, bool) and 1 <= draw <= len(questions), (
        f"{name}: draw must be an integer between 1 and the number of questions "
        f"({len(questions)}), got {draw!r}"
    )

    id_re = re.compile(rf"^{re.escape(slug)}-\d{{3}}$")
    seen_ids = set()
    kinds_used = set()
    errors = []
    for index, q in enumerate(questions, 1):
        if not isinstance(q, dict):
            errors.append(f"{name}: question #{index} is not a mapping")
            continue
        qid = q.get("id")
        where = f"{name} {qid or f'question #{index}'}"
        if not (isinstance(qid, str) and id_re.match(qid)):
            errors.append(f"{where}: id must look like {slug}-NNN")
        elif qid in seen_ids:
            errors.append(f"{where}: duplicate id")
        seen_ids.add(qid)

        kind = q.get("kind")
        if kind not in KINDS:
            errors.append(f"{where}: kind {kind!r} must be one of {sorted(KINDS)}")
            continue
        kinds_used.add(kind)

        if not _nonempty_str(q.get("stem")):
            errors.append(f"{where}: stem is empty")
        if not _nonempty_str(q.get("explanation")):
            errors.append(f"{where}: explanation is empty")

        options = q.get("options")
        answer = q.get("answer")
        if kind == "true_false":
            if options is not None:
                errors.append(f"{where}: true_false questions must not have options")
            if not isinstance(answer, bool):
                errors.append(
                    f"{where}: true_false answer must be a YAML boolean (true/false), "
                    f"got {answer!r}"
                )
        else:
            valid = ""
            if not isinstance(options, list) or not 2 <= len(options) <= 6:
                errors.append(f"{where}: {kind} needs a list of 2-6 options")
            elif not all(_nonempty_str(o) for o in options):
                errors.append(
                    f"{where}: every option must be a non-empty string "
                    f"(quote values YAML may misread)"
                )
            elif len({o.strip() for o in options}) != len(options):
                errors.append(f"{where}: options must be distinct")
            else:
                valid = LETTERS[: len(options)]
            if kind == "single":
                if not (isinstance(answer, str) and len(answer) == 1 and answer in valid):
                    errors.append(
                        f"{where}: single answer must be one letter among {list(valid)}, "
                        f"got {answer!r}"
                    )
            else:
                if not (
                    isinstance(answer, list)
                    and len(answer) >= 2
                    and all(isinstance(a, str) and len(a) == 1 and a in valid for a in answer)
                    and len(set(answer)) == len(answer)
                ):
                    errors.append(
                        f"{where}: multiple answer must be a list of 2+ distinct letters "
                        f"among {list(valid)}, got {answer!r}"
                    )

        for problem in check_source(q.get("source"), topic, folder):
            errors.append(f"{where}: {problem}")

    assert len(kinds_used) >= 2, f"{name}: uses only kinds {sorted(kinds_used)}; use at least two"
    assert not errors, f"{len(errors)} problem(s) in {name}:\n" + "\n".join(errors)
