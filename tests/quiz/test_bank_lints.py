"""The reviewer's checks that `lawlearn quiz check` runs on a bank (lawlearn/quiz/lints.py): each
is shown catching a small bad bank, and the shipped banks pass them all under --strict (CI)."""

from __future__ import annotations

import yaml

from lawlearn.paths import LAWS_DIR, QUIZZES_DIR
from lawlearn.quiz.banks import BankSpec, QuestionSpec
from lawlearn.quiz.citations import LawTexts, check_source
from lawlearn.quiz.lints import lint_bank, numbers_in

LAWS = LawTexts(LAWS_DIR)
CIVIL = "《中华人民共和国民法典》"


def single(key, stem, options, answer, source=CIVIL + "第十七条"):
    return QuestionSpec(kind="single", stem=stem, options=options, answer=answer,
                        explanation="……", source=source, key=key)


def true_false(key, stem, answer):
    return QuestionSpec(kind="true_false", stem=stem, options=[], answer=answer,
                        explanation="……", source=CIVIL + "第十八条", key=key)


def multiple(key, stem, answer):
    return QuestionSpec(kind="multiple", stem=stem, options=["甲项", "乙项", "丙项", "丁项"],
                        answer=answer, explanation="……", source=CIVIL + "第十九条", key=key)


def bank(*questions) -> BankSpec:
    return BankSpec(slug="civil-code", title="民法典", topic="civil-code",
                    questions=list(questions))


def lints(*questions) -> list[str]:
    return lint_bank(bank(*questions), "civil-code.yaml", LAWS)


def test_numbers_are_read_in_chinese_and_arabic_numerals_alike():
    assert numbers_in("六个月") == numbers_in("6个月") == {"6"}
    assert numbers_in("三十日内") == numbers_in("30日内") == {"30"}
    assert numbers_in("男二十二周岁、女二十周岁") == {"22", "20"}
    assert numbers_in("专有部分面积占比三分之二以上") == {"2/3"}
    assert numbers_in("超过规定时速百分之五十") == numbers_in("超速50%") == {"50%"}
    assert numbers_in("二万元以下罚款") == {"20000"}
    assert numbers_in("十八") == {"18"}               # a bare numeral as a whole option
    assert numbers_in("一般由统一的一方负责") == set()  # 一 in words is not a number


def test_a_keyed_answer_with_a_number_the_article_does_not_state_is_flagged():
    # 第十七条: 十八周岁以上的自然人为成年人.
    wrong = single("civil-code-001", "自然人满多少周岁为成年人？", ["十六周岁", "二十周岁"], "B")
    right = single("civil-code-002", "自然人满多少周岁为成年人？", ["十六周岁", "十八周岁"], "B")
    from_stem = single("civil-code-003", "小明2008年出生，满18周岁后是（ ）",
                       ["18周岁的成年人", "未成年人"], "A")
    warnings = lints(wrong, right, from_stem)
    assert [w for w in warnings if "states" in w] == [
        "civil-code.yaml civil-code-001: the keyed answer “二十周岁” states 20, which neither "
        "the cited article nor the stem states"]


def test_near_duplicate_questions_in_a_bank_are_flagged_by_id():
    first = single("civil-code-001", "根据《民法典》，自然人满（ ）周岁以上为成年人。",
                   ["十六", "十八", "二十", "十四"], "B")
    again = single("civil-code-007", "根据《中华人民共和国民法典》，自然人年满（ ）周岁以上是成年人？",
                   ["十六", "十八", "二十", "十四"], "B")
    other = single("civil-code-002", "八周岁以上的未成年人是什么民事行为能力人？",
                   ["完全", "限制", "无", "部分"], "B")
    warnings = [w for w in lints(first, again, other) if "nearly the same" in w]
    assert len(warnings) == 1 and warnings[0].startswith("civil-code.yaml civil-code-007: ")
    assert "civil-code-001" in warnings[0]


def test_generic_stems_are_told_apart_by_their_options():
    """“下列说法正确的是” heads many different questions: only their options say what they test."""
    marriage = single("civil-code-010", "根据《民法典》，下列说法正确的是（ ）。",
                      ["结婚应当男女双方完全自愿", "父母可以包办子女的婚姻"], "A")
    estate = single("civil-code-011", "根据《民法典》，下列说法正确的是（ ）。",
                    ["继承权男女平等", "出嫁的女儿不能继承父母的遗产"], "A")
    marriage_again = single("civil-code-012", "根据民法典，下列说法正确的是？",
                            ["结婚应当男女双方完全自愿。", "父母可以包办子女的婚姻。"], "A")
    warnings = [w for w in lints(marriage, estate, marriage_again) if "nearly the same" in w]
    assert warnings == [w for w in warnings if w.startswith("civil-code.yaml civil-code-012: ")]
    assert len(warnings) == 1 and "civil-code-010" in warnings[0]


def test_throwaway_options_are_flagged_with_their_letter():
    lazy = single("civil-code-004", "楼上扔东西砸伤人，找不到是谁扔的，怎么办？",
                  ["由可能加害的住户补偿", "受害人只能自认倒霉"], "A")
    warnings = lints(lazy)
    assert any(w.startswith("civil-code.yaml civil-code-004: option B") and "自认倒霉" in w
               for w in warnings), warnings


def test_a_bank_keyed_mostly_on_one_letter_is_flagged():
    letters = "BBBACD"  # B keys 3 of 6 = 50 %
    questions = [single(f"civil-code-{i:03d}", f"第{i}个问题，关于成年人的年龄？",
                        ["一个", "两个", "三个", "四个"], letter) for i, letter in enumerate(letters, 1)]
    assert any("B keys 3 of 6 single-answer" in w for w in lints(*questions))
    balanced = [single(q.key, q.stem, q.options, letter) for q, letter in zip(questions, "BBACDA", strict=False)]
    assert not any("single-answer" in w for w in lints(*balanced))


def test_true_false_leaning_to_one_side_is_flagged():
    answers = [False, False, False, True]  # 3 of 4 false = 75 %
    statements = [true_false(f"civil-code-{i:03d}", f"判断第{i}条说法，关于成年人。", a)
                  for i, a in enumerate(answers, 1)]
    assert any("3 of 4 true/false questions are false" in w for w in lints(*statements))
    even = [true_false(q.key, q.stem, a) for q, a in zip(statements, [False, True, False, True], strict=False)]
    assert not any("true/false" in w for w in lints(*even))


def test_multiple_answer_keys_all_of_one_size_are_flagged():
    same = [multiple(f"civil-code-{i:03d}", f"下列哪些说法对？第{i}组，关于监护。",
                     ["A", "B", "C"]) for i in range(1, 4)]
    assert any("keyed 3 of 4" in w for w in lints(*same))
    varied = same[:2] + [multiple("civil-code-003", same[2].stem, ["A", "D"])]
    assert not any("multiple-answer" in w for w in lints(*varied))


def test_a_paragraph_or_item_the_article_does_not_have_is_an_error():
    # 第一千零四十二条 has three paragraphs; 第一千一百二十七条 has two items in paragraph one.
    assert check_source(CIVIL + "第一千零四十二条第三款", "civil-code", LAWS) == []
    assert check_source(CIVIL + "第一千零四十二条第四款", "civil-code", LAWS)
    assert check_source(CIVIL + "第一千一百二十七条第一款第二项", "civil-code", LAWS) == []
    assert "第三项 does not exist" in check_source(CIVIL + "第一千一百二十七条第一款第三项",
                                                   "civil-code", LAWS)[0]


def write(folder, questions):
    content = {"slug": "civil-code", "title": "民法典", "topic": "civil-code",
               "audiences": ["household"], "pass_score": 60, "draw": 2,
               "time_limit_minutes": 10, "questions": questions}
    (folder / "civil-code.yaml").write_text(yaml.safe_dump(content, allow_unicode=True),
                                            encoding="utf-8")


def test_quiz_check_warns_and_strict_makes_the_warnings_errors(runner, tmp_path):
    write(tmp_path, [
        {"id": "civil-code-001", "kind": "single", "stem": "自然人满几周岁为成年人？",
         "options": ["十八周岁", "无所谓多少岁"], "answer": "A", "explanation": "见第十七条。",
         "source": CIVIL + "第十七条"},
        {"id": "civil-code-002", "kind": "true_false", "stem": "十八周岁以上是成年人。",
         "answer": True, "explanation": "见第十七条。", "source": CIVIL + "第十七条"}])
    path = str(tmp_path / "civil-code.yaml")
    relaxed = runner.invoke(args=["quiz", "check", path])
    assert relaxed.exit_code == 0, relaxed.output
    assert "warning: civil-code.yaml civil-code-001: option B" in relaxed.output
    assert "1 lint warning(s)" in relaxed.output
    strict = runner.invoke(args=["quiz", "check", "--strict", path])
    assert strict.exit_code == 1
    assert "error (strict): civil-code.yaml civil-code-001: option B" in strict.output


def test_the_shipped_banks_pass_the_strict_check(runner):
    """What CI runs: every shipped bank passes the format, the citations and every lint."""
    result = runner.invoke(args=["quiz", "check", "--strict", str(QUIZZES_DIR)])
    assert result.exit_code == 0, result.output
    assert "no problems, no lint warnings" in result.output
