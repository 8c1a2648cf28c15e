"""题库 spreadsheets in the layout Chinese offices use: 题型, 题干, 选项A…选项F, 答案, 解析,
法律依据, one question per row.

题型 is 单选 / 多选 / 判断; 答案 is a letter (B), letters (ACD, A、C、D) or 对 / 错. Rows of
other kinds (填空, 简答 …) are skipped with a warning; any other problem refuses the whole file,
every problem named by its row as the spreadsheet shows it.
"""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import date, datetime

from lawlearn.i18n import gettext as _
from lawlearn.quiz.banks import LETTERS, BankError, QuestionSpec, SkippedQuestion
from lawlearn.spreadsheets import append_row
from lawlearn.workbooks import WorkbookError, first_sheet_rows

OPTION_HEADERS = [f"选项{letter}" for letter in LETTERS]
HEADERS = ["题型", "题干", *OPTION_HEADERS, "答案", "解析", "法律依据"]
KIND_WORDS = {
    "single": ("单选", "单选题", "单项选择", "单项选择题", "single"),
    "multiple": ("多选", "多选题", "多项选择", "多项选择题", "multiple"),
    "true_false": ("判断", "判断题", "true_false", "truefalse"),
}
KIND_LABEL = {"single": "单选", "multiple": "多选", "true_false": "判断"}
TRUE_WORDS = {"对", "正确", "√", "✓", "是", "T", "TRUE", "Y", "YES", "1"}
FALSE_WORDS = {"错", "错误", "×", "✗", "X", "否", "F", "FALSE", "N", "NO", "0"}
HEADER_SEARCH_ROWS = 10  # a title or an instruction row may sit above the headers


def _norm(value) -> str:
    """Header or word as compared: NFKC (full-width Ａ → A), no spaces, upper case."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value or ""))).upper()


_KIND_BY_WORD = {_norm(w): kind for kind, words in KIND_WORDS.items() for w in words}
_HEADER_NAMES = {_norm(h): h for h in HEADERS}
_HEADER_NAMES.update({_norm(letter): f"选项{letter}" for letter in LETTERS})


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def _rows(data: bytes) -> list[list]:
    try:
        return first_sheet_rows(data)
    except WorkbookError as error:
        raise BankError([str(error)]) from None


def _find_headers(rows: list[list]) -> tuple[int, dict[str, int]]:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns = {}
        for position, cell in enumerate(row):
            name = _HEADER_NAMES.get(_norm(cell))
            if name and name not in columns:
                columns[name] = position
        if "题型" in columns and "题干" in columns:
            return index, columns
    raise BankError([_("No header row with 题型 and 题干 was found in the first %(n)d rows. "
                       "Download the template to see the layout.", n=HEADER_SEARCH_ROWS)])


def read_xlsx(data: bytes) -> tuple[list[QuestionSpec], list[SkippedQuestion]]:
    rows = _rows(data)
    header_index, columns = _find_headers(rows)
    questions, skipped, problems = [], [], []
    for index in range(header_index + 1, len(rows)):
        cells = {name: _text(rows[index][pos]) if pos < len(rows[index]) else ""
                 for name, pos in columns.items()}
        if not any(cells.values()):
            continue
        place = _("row %(row)d", row=index + 1)
        try:
            question = _read_row(cells, place)
        except ValueError as error:
            problems.append(f"{place}: {error}")
            continue
        if isinstance(question, SkippedQuestion):
            skipped.append(question)
        else:
            questions.append(question)
    if problems:
        raise BankError(problems)
    return questions, skipped


def _read_row(cells: dict[str, str], place: str) -> QuestionSpec | SkippedQuestion:
    word = cells.get("题型", "")
    if not word:
        raise ValueError(_("题型 is empty: write 单选, 多选 or 判断."))
    kind = _KIND_BY_WORD.get(_norm(word))
    if kind is None:
        return SkippedQuestion(place, None, _("%(kind)s questions are not supported; only 单选, "
                                               "多选 and 判断 are.", kind=word))
    stem = cells.get("题干", "")
    if not stem:
        raise ValueError(_("题干 is empty."))
    options = [] if kind == "true_false" else _options(cells)
    answer = _answer(kind, cells.get("答案", ""), len(options))
    return QuestionSpec(kind=kind, stem=stem, options=options, answer=answer,
                        explanation=cells.get("解析", ""), source=cells.get("法律依据", "")[:200],
                        place=place)


def _options(cells: dict[str, str]) -> list[str]:
    values = [cells.get(h, "") for h in OPTION_HEADERS]
    while values and not values[-1]:
        values.pop()
    if "" in values:
        gap = OPTION_HEADERS[values.index("")]
        raise ValueError(_("%(column)s is empty but a later option is filled in.", column=gap))
    if len(values) < 2:
        raise ValueError(_("A choice question needs at least 2 options (选项A and 选项B)."))
    if len(set(values)) != len(values):
        raise ValueError(_("Two options have the same text."))
    return values


def _answer(kind: str, text: str, n_options: int) -> str | list[str] | bool:
    word = _norm(text)
    if kind == "true_false":
        if word in {_norm(w) for w in TRUE_WORDS}:
            return True
        if word in {_norm(w) for w in FALSE_WORDS}:
            return False
        raise ValueError(_("答案 of a 判断 question is 对 or 错, not “%(value)s”.", value=text))
    valid = LETTERS[:n_options]
    letters = [c for c in word if c not in ",，、;；/"]
    if not letters or any(c not in valid for c in letters) or len(set(letters)) != len(letters):
        raise ValueError(_("答案 “%(value)s” must be letters among %(letters)s.", value=text,
                           letters="".join(valid)))
    if kind == "single":
        if len(letters) != 1:
            raise ValueError(_("A 单选 question has exactly one answer letter, not “%(value)s”.",
                               value=text))
        return letters[0]
    if len(letters) < 2:
        raise ValueError(_("A 多选 question has at least two answer letters, not “%(value)s”.",
                           value=text))
    return sorted(letters)


def answer_text(question: QuestionSpec) -> str:
    if question.kind == "true_false":
        return "对" if question.answer else "错"
    return question.answer if isinstance(question.answer, str) else "".join(question.answer)


EXAMPLES = [
    QuestionSpec(kind="single", stem="根据《民法典》，自然人满（ ）周岁以上为成年人。",
                 options=["十四", "十六", "十八", "二十"], answer="C",
                 explanation="十八周岁以上的人是成年人。",
                 source="《中华人民共和国民法典》第十七条"),
    QuestionSpec(kind="multiple", stem="下列属于法定继承第一顺序继承人的有（ ）。",
                 options=["配偶", "子女", "兄弟姐妹", "父母"], answer=["A", "B", "D"],
                 explanation="第一顺序是配偶、子女、父母。",
                 source="《中华人民共和国民法典》第一千一百二十七条"),
    QuestionSpec(kind="true_false", stem="结婚应当男女双方完全自愿。", options=[], answer=True,
                 explanation="结婚应当男女双方完全自愿，任何一方不得强迫另一方。",
                 source="《中华人民共和国民法典》第一千零四十六条"),
]


def write_xlsx(questions: list[QuestionSpec], title: str = "题库") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    append_row(sheet, HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F6F8FA")
    for q in questions:
        options = list(q.options) + [""] * (len(LETTERS) - len(q.options))
        append_row(sheet, [KIND_LABEL[q.kind], q.stem, *options, answer_text(q),
                           q.explanation, q.source])
    widths = {"A": 8, "B": 48, "I": 8, "J": 40, "K": 36}
    for column in "CDEFGH":
        widths[column] = 20
    for column, width in widths.items():
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    # Text format for 答案, so Excel never turns "ACD" or "对" into something else.
    for row in range(2, max(sheet.max_row, 200) + 1):
        sheet.cell(row=row, column=9).number_format = "@"
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def template_xlsx() -> bytes:
    return write_xlsx(EXAMPLES, title="题库模板")
