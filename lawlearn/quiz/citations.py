"""Checking that a question's `source` cites a real article of the right law, and finding the
text of that article.

The law texts ship inside the package (`lawlearn/laws/<topic>.md`, one article per line starting
`第X条 `; laws are public domain, 著作权法第五条). `lawlearn quiz check` and the bank test check
every citation against them (`--laws DIR` checks against another folder), and the quiz result
page shows the cited article beside the answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lawlearn.i18n import gettext as _
from lawlearn.paths import LAWS_DIR

# topic code → the law's full name as it must appear inside 《》 in `source`
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
    "anti-domestic-violence": "中华人民共和国反家庭暴力法",
    "fire-protection": "中华人民共和国消防法",
    "social-insurance": "中华人民共和国社会保险法",
    "personal-information": "中华人民共和国个人信息保护法",
    "legal-aid": "中华人民共和国法律援助法",
    "land-administration": "中华人民共和国土地管理法",
    "villagers-committee": "中华人民共和国村民委员会组织法",
    "women-rights": "中华人民共和国妇女权益保障法",
    "elderly-rights": "中华人民共和国老年人权益保障法",
    "labor-law": "中华人民共和国劳动法",
    "occupational-disease": "中华人民共和国职业病防治法",
    "family-education": "中华人民共和国家庭教育促进法",
    "migrant-wages": "保障农民工工资支付条例",
}

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


class LawTextError(ValueError):
    """The law texts folder or a law file is missing or unreadable."""


def chinese_to_int(numeral: str) -> int:
    """一千零四十七 → 1047, 十 → 10, 二十 → 20, 一百零五 → 105, 十二 → 12."""
    if not numeral:
        raise ValueError("empty numeral")
    total = 0
    digit = None  # a digit waiting for its unit
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
            # Only a leading 十 may stand without a digit (十, 十二).
            if digit is None and not (unit == 10 and position == 0):
                raise ValueError(f"unit without a digit in {numeral!r}")
            total += (1 if digit is None else digit) * unit
            digit = None
            last_unit = unit
        else:
            raise ValueError(f"not a Chinese numeral character: {ch!r} in {numeral!r}")
    return total + (digit or 0)


class LawTexts:
    """The articles of each law under `folder` (default: the shipped texts), read once per
    topic."""

    def __init__(self, folder: Path = LAWS_DIR):
        if not Path(folder).is_dir():
            raise LawTextError(_("Law texts folder not found: %(path)s", path=folder))
        self.folder = Path(folder)
        self._articles: dict[str, dict[int, tuple[str, list[str]]]] = {}

    def articles(self, topic: str) -> dict[int, tuple[str, list[str]]]:
        """Article number → (its numeral as the law writes it, its paragraph lines)."""
        if topic not in self._articles:
            self._articles[topic] = self._read(topic)
        return self._articles[topic]

    def _read(self, topic: str) -> dict[int, tuple[str, list[str]]]:
        law_file = self.folder / f"{topic}.md"
        if not law_file.is_file():
            raise LawTextError(_("Law text missing for topic %(topic)s: %(path)s", topic=topic,
                                 path=law_file))
        articles: dict[int, tuple[str, list[str]]] = {}
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
        return articles


def law_topic(source: str, topic: str) -> str:
    """The topic whose law text a `source` must be read in: the bank's, or for a general (综合)
    bank the topic of the law the source names."""
    match = SOURCE_RE.match((source or "").strip())
    if topic in TOPIC_LAWS or not match:
        return topic
    return next((t for t, law in TOPIC_LAWS.items() if law == match.group("law")), topic)


def check_source(source, topic: str, laws: LawTexts) -> list[str]:
    """Problems with a question's `source` (empty: it cites an existing article of its law)."""
    if not isinstance(source, str) or not source.strip():
        return [_("source is empty")]
    match = SOURCE_RE.match(source.strip())
    if not match:
        return [_("source “%(source)s” is not of the form 《中华人民共和国……》第X条[第X款]",
                  source=source)]
    # A general (综合) bank cites several laws: each source is read in the law it names.
    topic = law_topic(source, topic)
    expected_law = TOPIC_LAWS.get(topic)
    if match.group("law") != expected_law:
        return [_("source names 《%(law)s》 but topic %(topic)s needs 《%(expected)s》",
                  law=match.group("law"), topic=topic, expected=expected_law or "?")]
    numeral = match.group("article")
    try:
        number = chinese_to_int(numeral)
    except ValueError as exc:
        return [_("cannot read the article number in “%(source)s”: %(error)s", source=source,
                  error=exc)]
    articles = laws.articles(topic)
    if number not in articles:
        law_file = topic + ".md"
        return [_("article 第%(numeral)s条 (%(number)d) does not exist in %(file)s",
                  numeral=numeral, number=number, file=law_file)]
    written, lines = articles[number]
    if written != numeral:
        return [_("article number written as 第%(numeral)s条; the law text writes it "
                  "第%(written)s条", numeral=numeral, written=written)]
    if match.group("paragraph"):
        paragraph = chinese_to_int(match.group("paragraph"))
        # Lines that are not numbered items （一）… count as paragraphs (款): a lenient bound.
        paragraphs = [ln for ln in lines if not ln.startswith("（")]
        if not 1 <= paragraph <= len(paragraphs):
            return [_("第%(written)s条 has %(count)d paragraph(s); 第%(paragraph)s款 does not "
                      "exist", written=written, count=len(paragraphs),
                      paragraph=match.group("paragraph"))]
    if match.group("item"):
        item = chinese_to_int(match.group("item"))
        items = _items(lines, chinese_to_int(match.group("paragraph") or "一"))
        if not 1 <= item <= items:
            return [_("第%(written)s条 has %(count)d item(s) there; 第%(item)s项 does not exist",
                      written=written, count=items, item=match.group("item"))]
    return []


def _items(lines: list[str], paragraph: int) -> int:
    """How many numbered items （一）… follow the article's `paragraph`-th paragraph."""
    count, seen = 0, 0
    for line in lines:
        if line.startswith("（"):
            count += seen == paragraph
        else:
            seen += 1
    return count


@cache
def shipped_laws() -> LawTexts:
    """The packaged law texts, read once per process (they change only with a new release)."""
    return LawTexts(LAWS_DIR)


@dataclass(frozen=True)
class CitedArticle:
    law: str            # the law's full name, as inside 《》
    heading: str        # 第X条, as the law writes it
    paragraphs: list[str]


def article_text(topic: str, number: int, laws: LawTexts | None = None) -> list[str] | None:
    """The lines of article `number` of the law of `topic` (the first starts with 第X条), or
    None when the topic has no law text or the law has no such article."""
    if topic not in TOPIC_LAWS:
        return None
    found = (laws or shipped_laws()).articles(topic).get(number)
    return list(found[1]) if found else None


def cited_article(source: str | None, laws: LawTexts | None = None) -> CitedArticle | None:
    """The article a question's `source` cites, for showing beside the answer; None when the
    source is not a citation of a shipped law's existing article (an imported bank may cite
    freely), so the page shows the source alone rather than the wrong text."""
    match = SOURCE_RE.match((source or "").strip())
    if not match:
        return None
    topic = next((t for t, law in TOPIC_LAWS.items() if law == match.group("law")), None)
    try:
        number = chinese_to_int(match.group("article"))
    except ValueError:
        return None
    lines = article_text(topic, number, laws) if topic else None
    if not lines:
        return None
    heading, _space, first = lines[0].partition(" ")
    if not _space:
        heading, _space, first = lines[0].partition("\u3000")
    return CitedArticle(law=match.group("law"), heading=heading,
                        paragraphs=[first.strip(), *lines[1:]] if first.strip() else lines[1:])
