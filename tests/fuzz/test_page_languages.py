"""Every page says its words in the reader's language, whichever language the app happened to
render it in first.

Jinja compiles a template once per process, at its first render, and folds any filter whose
arguments are all constants into the compiled code: a label translated there would keep the
first reader's language for everyone after (the unit-kind names on /units/new once did). So
each page is rendered in one language, then the other, then the first again, in one app
process, and both orders are walked (a fresh app each).

This lives beside the fuzz tests because it walks the same world and the same route map: a
new GET page is walked without anyone listing it here.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from babel.messages.mofile import read_mo

from lawlearn import codes
from tests.fuzz.routes import argument_values, build, fuzzed_rules, path_arguments
from tests.test_translations import CATALOGUE

# Pages that are files or redirects, not HTML a person reads.
NOT_PAGES = {"auth.set_language", "main.healthz", "health.healthz", "health.readyz"}
CJK = re.compile(r"[\u4e00-\u9fff]+")
# Column names of the files people upload: the pages quote them as the file must spell them,
# in Chinese in both languages ("the columns 活动编码, 姓名, 手机号, 状态").
FILE_WORDS = {"上级编码", "名称", "级别", "编码", "职工人数", "行业", "姓名", "手机号", "活动编码",
              "状态", "题型", "单选", "多选", "判断", "题干", "选项", "答案", "对", "错", "解析",
              "法律依据", "题库", "中文"}


def _code_labels() -> list[tuple[str, str]]:
    """(English, Chinese) of every code label: the words the folding bug would freeze."""
    with open(CATALOGUE / "messages.mo", "rb") as f:
        zh = {m.id: m.string for m in read_mo(f) if m.id and isinstance(m.id, str)}
    pairs = []
    for name in dir(codes):
        code_list = getattr(codes, name)
        if isinstance(code_list, codes.CodeList):
            for code in code_list:
                english = code.label._args[0]
                pairs.append((english, zh[english]))
    return pairs


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    # A flash was said when it was queued, in that request's language.
    html = re.sub(r'<div class="flash [^"]*"[^>]*>.*?</div>', " ", html, flags=re.S)
    # A sample file shown as written (e.g. a plan's YAML) is file content in the office's
    # language, not UI.
    html = re.sub(r'<pre class="sample">.*?</pre>', " ", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html)
    return unescape(html)


def _pages(app, world) -> list[str]:
    urls = []
    for rule in fuzzed_rules(app):
        if "GET" not in rule.methods or rule.endpoint in NOT_PAGES:
            continue
        args = {a: argument_values(rule, a, world.ids)[0] for a in path_arguments(rule)}
        urls.append(build(rule, args))
    return sorted(urls)


def _render_all(client, urls, lang) -> dict[str, str]:
    client.get(f"/lang/{lang}")
    pages = {}
    for url in urls:
        response = client.get(url)
        if response.status_code == 200 and response.mimetype == "text/html":
            pages[url] = _visible_text(response.get_data(as_text=True))
    return pages


def _data_words(world) -> set[str]:
    """Chinese the world itself holds (names of areas, units, people, quiz text): not UI words."""
    from lawlearn.extensions import db

    words: set[str] = set()
    for table in db.metadata.sorted_tables:
        if table.name in ("alembic_version",):
            continue
        with db.engine.connect() as connection:
            for row in connection.execute(table.select()):
                for value in row:
                    words.update(CJK.findall(value if isinstance(value, str) else repr(value)))
    return words


def _english_leftovers(text: str, pairs) -> list[str]:
    """English code labels on a Chinese page (multi-word ones: one word like "Other" may be
    part of a name)."""
    return [en for en, _zh in pairs if " " in en and re.search(rf"\b{re.escape(en)}\b", text)]


def _chinese_leftovers(text: str, data: set[str]) -> list[str]:
    """Chinese on an English page that the data does not explain."""
    return [w for w in CJK.findall(text)
            if w not in FILE_WORDS and not any(w in d for d in data)]


@pytest.mark.parametrize("first", ["zh_Hans", "en"])
def test_every_staff_and_participant_page_follows_the_language_after_the_other(world, app,
                                                                                first):
    second = "en" if first == "zh_Hans" else "zh_Hans"
    pairs = _code_labels()
    with app.app_context():
        data = _data_words(world)
    urls = _pages(app, world)
    problems = []
    for role in ("admin", "coordinator", "leader", "anonymous"):
        client = world.clients[role]
        for lang in (first, second, first):
            for url, text in _render_all(client, urls, lang).items():
                if lang == "en":
                    wrong = _chinese_leftovers(text, data)
                else:
                    wrong = _english_leftovers(text, pairs)
                if wrong:
                    problems.append(f"{role} {lang} {url}: {sorted(set(wrong))[:6]}")
    assert problems == []


def test_the_unit_kind_names_on_the_register_page_follow_the_language(world):
    client = world.clients["admin"]
    for lang, expected, foreign in (("zh_Hans", "学法中心户", "Study household"),
                                    ("en", "Study household", "学法中心户"),
                                    ("zh_Hans", "学法中心户", "Study household")):
        client.get(f"/lang/{lang}")
        page = client.get("/units/new").get_data(as_text=True)
        assert expected in page and foreign not in page, lang


def test_no_template_keeps_a_foldable_call_to_a_translating_filter(app):
    """What Jinja may fold: a filter with only constant arguments. Every such filter in our
    templates must be one Jinja ships (pure: `format`, `e` …), never one of ours or
    Flask-Babel's, which depend on the language."""
    from jinja2 import nodes
    from jinja2.utils import _PassArg

    env = app.jinja_env
    ours = {"label", "local_time", "number", "datetimeformat", "dateformat", "timeformat",
            "timedeltaformat", "numberformat", "decimalformat", "currencyformat",
            "percentformat", "scientificformat"}
    foldable = []
    for name in env.list_templates(extensions=["html"]):
        source = env.loader.get_source(env, name)[0]
        for node in env.parse(source).find_all(nodes.Filter):
            if node.name in ours and _PassArg.from_obj(env.filters[node.name]) is not (
                    _PassArg.context):
                try:
                    node.as_const(nodes.EvalContext(env))
                except nodes.Impossible:
                    continue
                foldable.append(f"{name}: {node.name}")
    assert foldable == []
    for name in ours & set(env.filters):
        if name not in ("local_time", "number"):
            assert _PassArg.from_obj(env.filters[name]) is _PassArg.context, name
