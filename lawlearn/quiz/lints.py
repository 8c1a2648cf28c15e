"""Lints for question banks: what a legal reviewer checks beyond the format (quizzes/README.md,
"Lints"). `lawlearn quiz check` prints them as warnings; `--strict` (CI) makes them errors.

Each lint names the file and the question id (or the bank, for the balance lints):

- numbers: every number in a keyed answer (六个月, 30日, 二十二周岁, 三分之二, 百分之五十 …) must
  appear in the cited article or in the stem, so a key cannot carry a number the law doesn't say;
- near-duplicate: two questions of a bank whose normalised stems (without the law's name, blanks
  and punctuation; a generic stem under `SHORT_STEM` characters with its options) are at least
  `DUPLICATE_RATIO` alike (difflib) test one thing twice or give each other away;
- throwaway options: an option with a word from `THROWAWAY_WORDS` is a giveaway, not a
  misconception a villager could hold;
- balance: no answer letter keys more than `MAX_LETTER_SHARE` of the single-answer questions,
  neither true nor false more than `MAX_TRUE_FALSE_SHARE` of the true/false ones, and the
  multiple-answer keys are not all the same size.
(The citation itself — article, 款 and 项 exist — is checked as an error by citations.py.)
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from pathlib import Path

from lawlearn.quiz.banks import BankError, BankSpec, read_bank_file
from lawlearn.quiz.citations import SOURCE_RE, TOPIC_LAWS, LawTexts, chinese_to_int, law_topic

DUPLICATE_RATIO = 0.85
MAX_LETTER_SHARE = 0.40
MAX_TRUE_FALSE_SHARE = 0.65
# Below these counts a share says nothing (a bank of three single questions can't be balanced).
MIN_SINGLE_FOR_BALANCE = 5
MIN_TRUE_FALSE_FOR_BALANCE = 4
MIN_MULTIPLE_FOR_BALANCE = 3

# Words that mark an option nobody would choose: the lazy wrong answer the review counted.
THROWAWAY_WORDS = ("一律", "随便", "没人管", "自认倒霉", "认倒霉", "无所谓", "想怎么", "爱怎么",
                   "少管闲事", "管不着", "活该", "不用管", "谁也管不了", "说了算")

_CN = "零〇一二两三四五六七八九十百千万"
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
# A number is counted only before a unit (or as a fraction / percentage), so 一般, 统一, 一方
# are not numbers.
_UNITS = ("个工作日", "工作日", "个月", "周岁", "小时", "万元", "日", "天", "月", "年", "岁", "元",
          "倍", "周", "公里", "米", "亩", "%", "％")
_NUMBER = rf"(?:\d+(?:\.\d+)?|[{_CN}]+)"
_FRACTION_RE = re.compile(rf"({_NUMBER})分之({_NUMBER})")
_PERCENT_RE = re.compile(rf"百分之({_NUMBER})")
_UNIT_RE = re.compile(rf"({_NUMBER})(?={'|'.join(map(re.escape, _UNITS))})")
_BARE_RE = re.compile(rf"^\s*({_NUMBER})\s*$")


def number_value(text: str) -> float | None:
    """30 → 30, 二十二 → 22, 两 → 2, 二万 → 20000, 十 → 10; None when it isn't a number."""
    text = text.replace("〇", "零")
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    if not text or any(ch not in _CN for ch in text):
        return None
    if "万" in text:
        high, _sep, low = text.partition("万")
        high_value = number_value(high) if high else 1
        low_value = number_value(low) if low else 0
        return None if high_value is None or low_value is None else high_value * 10000 + low_value
    text = text.replace("两", "二")
    if all(ch in _CN_DIGITS for ch in text) and len(text) > 1:
        return float(int("".join(str(_CN_DIGITS[ch]) for ch in text)))  # 二〇二一
    try:
        return float(chinese_to_int(text))
    except ValueError:
        return None


def numbers_in(text: str) -> set[str]:
    """The numbers a text states, normalised so 三十日 and 30日 agree: '30', '2/3', '50%'."""
    found: set[str] = set()
    rest = text
    for match in _PERCENT_RE.finditer(rest):
        value = number_value(match.group(1))
        if value is not None:
            found.add(f"{value:g}%")
    rest = _PERCENT_RE.sub(" ", rest)
    for match in _FRACTION_RE.finditer(rest):
        below, above = number_value(match.group(1)), number_value(match.group(2))
        if below and above is not None:
            found.add(f"{above:g}/{below:g}")
    rest = _FRACTION_RE.sub(" ", rest)
    for match in _UNIT_RE.finditer(rest):
        value = number_value(match.group(1))
        if value is None:
            continue
        after = rest[match.end():match.end() + 1]
        found.add(f"{value:g}%" if after in "%％" else f"{value:g}")
    bare = _BARE_RE.match(rest)
    if bare and (value := number_value(bare.group(1))) is not None:
        found.add(f"{value:g}")
    return found


def _keyed_options(question) -> list[str]:
    letters = [question.answer] if question.kind == "single" else \
        question.answer if question.kind == "multiple" else []
    return [question.options[ord(letter) - ord("A")] for letter in letters]


def cited_text(source: str, topic: str, laws: LawTexts) -> str | None:
    match = SOURCE_RE.match(source.strip())
    if not match:
        return None
    try:
        topic = law_topic(source, topic)
        if topic not in TOPIC_LAWS:
            return None
        lines = laws.articles(topic).get(chinese_to_int(match.group("article")))
    except (ValueError, KeyError):
        return None
    return "\n".join(lines[1]) if lines else None


def lint_numbers(bank: BankSpec, laws: LawTexts) -> list[tuple[str, str]]:
    warnings = []
    for question in bank.questions:
        keyed = _keyed_options(question)
        if not keyed:
            continue
        article = cited_text(question.source, bank.topic, laws)
        if article is None:
            continue  # the citation error says why
        allowed = numbers_in(article) | numbers_in(question.stem)
        for option in keyed:
            missing = sorted(numbers_in(option) - allowed)
            if missing:
                warnings.append((question.key, f"the keyed answer “{option}” states "
                                 f"{', '.join(missing)}, which neither the cited article nor "
                                 f"the stem states"))
    return warnings


# A normalised stem shorter than this is generic (“下列说法正确的是”): its options tell it apart.
SHORT_STEM = 12


def _plain(text: str) -> str:
    """Text without the law's name, blanks, punctuation and spaces."""
    text = re.sub(r"(?:根据|依照|按照)《[^》]*》[，,]?", "", text)
    text = re.sub(r"(?:根据|依照|按照)[^，,。《》]{1,20}?(?:法|法典|条例)[，,]", "", text)
    text = re.sub(r"《[^》]*》", "", text)
    return re.sub(r"[\s（）()，。、；：？！“”‘’「」,.;:?!\"'_—…-]+", "", text)


def normalised(question) -> str:
    """The stem as compared for near-duplicates; a short, generic stem with its options."""
    stem = _plain(question.stem)
    if len(stem) < SHORT_STEM and question.options:
        return "｜".join([stem, *map(_plain, question.options)])
    return stem


def lint_duplicates(bank: BankSpec) -> list[tuple[str, str]]:
    texts = [(q.key, normalised(q)) for q in bank.questions]
    warnings = []
    for index, (key, text) in enumerate(texts):
        for other_key, other in texts[index + 1:]:
            matcher = difflib.SequenceMatcher(None, text, other, autojunk=False)
            if matcher.real_quick_ratio() >= DUPLICATE_RATIO and \
                    matcher.quick_ratio() >= DUPLICATE_RATIO and \
                    (ratio := matcher.ratio()) >= DUPLICATE_RATIO:
                warnings.append((other_key, f"nearly the same question as {key} "
                                 f"(similarity {ratio:.2f} ≥ {DUPLICATE_RATIO})"))
    return warnings


def lint_throwaways(bank: BankSpec) -> list[tuple[str, str]]:
    warnings = []
    for question in bank.questions:
        for letter, option in zip("ABCDEF", question.options, strict=False):
            words = [w for w in THROWAWAY_WORDS if w in option]
            if words:
                warnings.append((question.key, f"option {letter} “{option}” has the throwaway "
                                 f"word(s) {'、'.join(words)}: write a wrong answer someone "
                                 f"could believe"))
    return warnings


def lint_balance(bank: BankSpec) -> list[tuple[str, str]]:
    warnings = []
    single = [q for q in bank.questions if q.kind == "single"]
    if len(single) >= MIN_SINGLE_FOR_BALANCE:
        letters = Counter(q.answer for q in single)
        letter, count = letters.most_common(1)[0]
        if count / len(single) > MAX_LETTER_SHARE:
            warnings.append(("", f"{letter} keys {count} of {len(single)} single-answer "
                             f"questions (over {MAX_LETTER_SHARE:.0%}); vary the right letter"))
    true_false = [q for q in bank.questions if q.kind == "true_false"]
    if len(true_false) >= MIN_TRUE_FALSE_FOR_BALANCE:
        trues = sum(1 for q in true_false if q.answer is True)
        side, count = (("true", trues) if trues * 2 >= len(true_false)
                       else ("false", len(true_false) - trues))
        if count / len(true_false) > MAX_TRUE_FALSE_SHARE:
            warnings.append(("", f"{count} of {len(true_false)} true/false questions are "
                             f"{side} (over {MAX_TRUE_FALSE_SHARE:.0%})"))
    multiple = [q for q in bank.questions if q.kind == "multiple"]
    if len(multiple) >= MIN_MULTIPLE_FOR_BALANCE:
        sizes = {(len(q.answer), len(q.options)) for q in multiple}
        if len(sizes) == 1:
            (keyed, offered), = sizes
            warnings.append(("", f"all {len(multiple)} multiple-answer questions are keyed "
                             f"{keyed} of {offered}; key some 2, 3 or 4 of 4"))
    return warnings


def lint_bank(bank: BankSpec, name: str, laws: LawTexts | None = None) -> list[str]:
    """Every lint warning for a bank that passed the format check, as 'file id: message'."""
    found = lint_duplicates(bank) + lint_throwaways(bank) + lint_balance(bank)
    if laws is not None:
        found = lint_numbers(bank, laws) + found
    return [f"{name} {key}: {message}" if key else f"{name}: {message}"
            for key, message in found]


def lint_folder(folder: Path, laws: LawTexts | None = None) -> list[str]:
    """Lint warnings for the banks under `folder` (or the one file) that can be read; the ones
    that can't are reported by the format check."""
    paths = [folder] if folder.is_file() else sorted(folder.glob("*.yaml"))
    warnings: list[str] = []
    for path in paths:
        try:
            bank = read_bank_file(path, shipped=False)
        except BankError:
            continue
        warnings += lint_bank(bank, path.name, laws)
    return warnings
