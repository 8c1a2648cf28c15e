"""Structure and citation checks for every quiz bank in ``quizzes/*.yaml``.

Standalone (no app fixtures). The structure rules are the app's own validator
(``lawlearn.quiz.banks``, what ``lawlearn quiz check`` runs); the citation check
(``lawlearn.quiz.citations``) runs here against the law texts shipped in
``lawlearn/laws/<topic>.md`` (check against another folder with ``LAWLEARN_LAWS_DIR``): every
question's ``source`` must name the right law for the bank's topic and an article that really
exists in it. A missing folder fails this test (never skips).
"""

import os
from pathlib import Path

import pytest
import yaml

from lawlearn.paths import LAWS_DIR
from lawlearn.quiz.banks import check_bank, check_citations, read_bank_file
from lawlearn.quiz.citations import (
    TOPIC_LAWS,
    LawTexts,
    article_text,
    check_source,
    chinese_to_int,
    cited_article,
)

REPO_ROOT = Path(__file__).resolve().parents[1]
QUIZ_DIR = REPO_ROOT / "quizzes"

_LAWS: dict = {}


def laws() -> LawTexts:
    """The law texts; fails the test (not skips) if the folder is missing."""
    path = Path(os.environ.get("LAWLEARN_LAWS_DIR") or LAWS_DIR)
    if not path.is_dir():
        pytest.fail(
            f"Law texts folder not found: {path}. The citation check needs the law texts "
            f"(lawlearn/laws/<topic>.md, or the folder LAWLEARN_LAWS_DIR names).",
            pytrace=False,
        )
    if path not in _LAWS:
        _LAWS[path] = LawTexts(path)
    return _LAWS[path]


def bank_files():
    return sorted(QUIZ_DIR.glob("*.yaml"))


# --------------------------------------------------------------------------- tests


def test_chinese_to_int():
    cases = {
        "一": 1, "九": 9, "十": 10, "十二": 12, "二十": 20, "二十一": 21, "一百": 100,
        "一百零五": 105, "一百一十": 110, "一百四十三": 143, "一千": 1000, "一千零四十七": 1047,
        "一千零一十": 1010, "一千二百六十": 1260, "一千一百二十七": 1127,
    }
    for numeral, expected in cases.items():
        assert chinese_to_int(numeral) == expected, numeral
    for bad in ["", "五a", "千百", "五五"]:
        with pytest.raises(ValueError):
            chinese_to_int(bad)


def test_checker_catches_nonexistent_article():
    texts = laws()
    problems = check_source("《中华人民共和国民法典》第一千三百条", "civil-code", texts)
    assert problems and "does not exist" in problems[0], problems
    # a real article passes ...
    assert check_source("《中华人民共和国民法典》第一千零四十七条", "civil-code", texts) == []
    # ... but not under another topic's law name, nor in a malformed source
    assert check_source("《中华人民共和国宪法》第一千零四十七条", "civil-code", texts)
    assert check_source("民法典第一千零四十七条", "civil-code", texts)
    assert check_source("《中华人民共和国民法典》第1047条", "civil-code", texts)
    # a non-canonical numeral for a real article is flagged
    assert check_source("《中华人民共和国宪法》第一十条", "constitution", texts)
    # a paragraph (款) beyond the article's paragraphs is flagged
    assert check_source("《中华人民共和国民法典》第十七条第九款", "civil-code", texts)
    assert check_source("", "civil-code", texts) == ["source is empty"]


def test_a_bank_citing_a_made_up_article_fails_the_check():
    bank = read_bank_file(QUIZ_DIR / "mediation.yaml", shipped=True)
    assert check_citations(bank, "mediation.yaml", laws()) == []
    # The law has 35 articles: 第三十六条 does not exist, 第三十五条 does.
    bank.questions[0].source = "《中华人民共和国人民调解法》第三十六条"
    errors = check_citations(bank, "mediation.yaml", laws())
    assert len(errors) == 1 and "does not exist in mediation.md" in errors[0], errors
    bank.questions[0].source = "《中华人民共和国人民调解法》第三十五条"
    assert check_citations(bank, "mediation.yaml", laws()) == []


def test_the_shipped_texts_give_the_article_a_question_cites():
    article = cited_article("《中华人民共和国民法典》第一千零四十七条第一款")
    assert article.law == "中华人民共和国民法典" and article.heading == "第一千零四十七条"
    assert article.paragraphs and "男不得早于二十二周岁" in article.paragraphs[0]
    # an article of several paragraphs and items keeps them in order, without the heading
    lines = article_text("mediation", 3)
    assert lines[0].startswith("第三条 ") and lines[1].startswith("（一）")
    assert cited_article("《中华人民共和国人民调解法》第三条").paragraphs == \
        [lines[0].removeprefix("第三条 "), *lines[1:]]
    # nothing for what is not a citation of an existing article of a shipped law
    for source in ("《中华人民共和国人民调解法》第三十六条", "人民调解法第三条", "",
                   None, "《中华人民共和国刑法》第一条"):
        assert cited_article(source) is None, source
    assert article_text("tax", 1) is None


def test_law_texts_present_for_every_topic():
    texts = laws()
    for topic in TOPIC_LAWS:
        assert texts.articles(topic), f"{topic}.md in {texts.folder} has no lines starting with 第X条"


def test_there_are_bank_files():
    assert bank_files(), f"no quiz banks found in {QUIZ_DIR}"


@pytest.mark.parametrize("path", bank_files(), ids=lambda p: p.name)
def test_bank(path):
    texts = laws()
    bank = read_bank_file(path, shipped=True)  # raises BankError listing every problem
    errors = check_citations(bank, path.name, texts)
    assert not errors, f"{len(errors)} problem(s) in {path.name}:\n" + "\n".join(errors)


# Each structural rule the validator enforces on a shipped bank, shown failing once.
BREAKAGES = {
    "not a mapping": (lambda b: ["a", "list"], "top level must be a mapping"),
    "stem, slug and topic differ": (lambda b: {**b, "slug": "other"}, "must be the same"),
    "unknown topic": (lambda b: {**b, "topic": "tax"}, "is not one of"),
    "no title": (lambda b: {**b, "title": " "}, "title is missing"),
    "audiences": (lambda b: {**b, "audiences": ["farmers"]}, "audiences must be"),
    "pass score": (lambda b: {**b, "pass_score": 101}, "pass_score must be"),
    "bool pass score": (lambda b: {**b, "pass_score": True}, "pass_score must be"),
    "time limit": (lambda b: {**b, "time_limit_minutes": 0}, "time_limit_minutes must be"),
    "questions not a list": (lambda b: {**b, "questions": "many"}, "questions must be a list"),
    "too few questions": (lambda b: {**b, "questions": b["questions"][:19]}, "need at least 20"),
    "draw": (lambda b: {**b, "draw": len(b["questions"]) + 1}, "draw must be"),
    "one kind only": (lambda b: {**b, "questions": [q for q in b["questions"]
                                                     if q["kind"] == "single"] * 2},
                      "use at least two"),
    "bad id": (lambda b: _question(b, 0, id="cc-1"), "id must be"),
    "duplicate id": (lambda b: _question(b, 1, id=b["questions"][0]["id"]), "used twice"),
    "bad kind": (lambda b: _question(b, 0, kind="essay"), "must be one of"),
    "empty stem": (lambda b: _question(b, 0, stem=""), "stem is empty"),
    "empty explanation": (lambda b: _question(b, 0, explanation=None), "explanation is empty"),
    "empty source": (lambda b: _question(b, 0, source=""), "source is empty"),
    "true_false with options": (lambda b: _question(b, 3, options=["a", "b"]),
                                "have no options"),
    "true_false answer": (lambda b: _question(b, 3, answer="对"), "true or false"),
    "one option": (lambda b: _question(b, 0, options=["a"]), "2–6 options"),
    "empty option": (lambda b: _question(b, 0, options=["a", " ", "c", "d"]), "non-empty"),
    "same options": (lambda b: _question(b, 0, options=["a", "a ", "c", "d"]), "different"),
    "single answer": (lambda b: _question(b, 0, answer="E"), "one letter"),
    "multiple answer": (lambda b: _question(b, _first(b, "multiple"), answer=["A"]),
                        "2 or more"),
    "multiple answer repeats": (lambda b: _question(b, _first(b, "multiple"), answer=["A", "A"]),
                                "2 or more"),
}


def _first(bank, kind):
    return next(i for i, q in enumerate(bank["questions"]) if q["kind"] == kind)


def _question(bank, index, **changes):
    questions = [dict(q) for q in bank["questions"]]
    for key, value in changes.items():
        if key == "options" and questions[index]["kind"] == "true_false":
            questions[index]["options"] = value
        else:
            questions[index][key] = value
    return {**bank, "questions": questions}


@pytest.mark.parametrize("name", BREAKAGES)
def test_the_validator_catches(name):
    bank = yaml.safe_load((QUIZ_DIR / "civil-code.yaml").read_text(encoding="utf-8"))
    assert bank["questions"][3]["kind"] == "true_false"
    assert check_bank(bank, "civil-code.yaml", shipped=True, stem="civil-code") == []
    break_it, expected = BREAKAGES[name]
    problems = check_bank(break_it(bank), "civil-code.yaml", shipped=True, stem="civil-code")
    assert any(expected in p for p in problems), problems
    assert all(p.startswith("civil-code.yaml") for p in problems), problems
