"""The forms a page offers, read from its HTML: what a browser would let a user send."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Field:
    name: str
    kind: str                       # text, number, date, file, select, textarea, checkbox …
    plausible: list[str] = field(default_factory=list)


@dataclass
class PageForm:
    action: str
    fields: dict[str, Field] = field(default_factory=dict)


class _FormParser(HTMLParser):
    def __init__(self, page_path: str):
        super().__init__()
        self.page_path = page_path
        self.forms: list[PageForm] = []
        self.current: PageForm | None = None
        self.select: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "get").lower() == "post":
            action = (a.get("action") or self.page_path).split("?")[0].split("#")[0]
            self.current = PageForm(action)
            self.forms.append(self.current)
        if self.current is None or not a.get("name"):
            if tag == "option" and self.select is not None and a.get("value") is not None:
                self.select.plausible.append(a["value"])
            return
        name = a["name"]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            found = self.current.fields.setdefault(name, Field(name, kind))
            if a.get("value") is not None:
                found.plausible.append(a["value"])
        elif tag == "select":
            self.select = self.current.fields.setdefault(name, Field(name, "select"))
        elif tag == "textarea":
            self.current.fields.setdefault(name, Field(name, "textarea"))

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None


def post_forms(html: str, page_path: str) -> list[PageForm]:
    parser = _FormParser(page_path)
    parser.feed(html)
    return parser.forms
