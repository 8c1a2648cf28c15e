"""Every string the UI can show is translatable and translated into Simplified Chinese, and the
compiled catalogue that ships matches its source."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "lawlearn" / "translations" / "zh_Hans" / "LC_MESSAGES"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def _extracted() -> set[str]:
    found: set[str] = set()
    for folder, method in ((ROOT / "lawlearn", "python"), (ROOT / "templates", "jinja2")):
        pattern = "**.py" if method == "python" else "**.html"
        options = {"extensions": "jinja2.ext.do"} if method == "jinja2" else {}
        for _file, _line, message, _comments, _ctx in extract_from_dir(
            str(folder), [(pattern, method)], {pattern: options}, keywords=KEYWORDS,
            # Babel skips folders starting with "_" by default: that would skip _macros/.
            directory_filter=lambda path: not Path(path).name.startswith((".", "__")),
        ):
            found.add(message[0] if isinstance(message, tuple) else message)
    return found


def _catalogue():
    with open(CATALOGUE / "messages.po", "rb") as f:
        return read_po(f, locale="zh_Hans")


def test_every_ui_string_has_a_chinese_translation():
    catalogue = _catalogue()
    extracted = _extracted()
    assert "Previous" in extracted, "the template macros were not scanned"
    untranslated = []
    for msgid in sorted(extracted):
        message = catalogue.get(msgid)
        text = message.string if message else None
        if isinstance(text, tuple):
            text = text[0]
        if not text:
            untranslated.append(msgid)
    assert not untranslated, ("not translated in zh_Hans (run `make translations` and fill "
                              f"them in): {untranslated}")


def test_the_compiled_catalogue_matches_its_source():
    def plain(value):
        return tuple(value) if isinstance(value, (list, tuple)) else value

    with open(CATALOGUE / "messages.mo", "rb") as f:
        compiled = {plain(m.id): plain(m.string) for m in read_mo(f) if m.id}
    source = {plain(m.id): plain(m.string) for m in _catalogue()
              if m.id and m.string and not m.fuzzy}
    assert compiled == source, "messages.mo is stale: run `make translations`"


def test_placeholders_survive_translation():
    import re

    placeholder = re.compile(r"%\((\w+)\)[sd]")
    for message in _catalogue():
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set(placeholder.findall(ids[0]))
        for text in strings:
            assert set(placeholder.findall(text)) == expected, message.id


def test_one_meaning_one_word_for_active_and_registered_units():
    """活跃 / "active" units met in the period (the report's meaning); 在册 / "registered" units
    are the ones not retired (the dormant page, the dashboards). A message mixing the words
    would tell a reader one figure is the other."""
    mixed = []
    for message in _catalogue():
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        text = message.string if isinstance(message.string, str) else (message.string or [""])[0]
        if not msgid or not text:
            continue
        lower = msgid.lower()
        says_active = any(w in lower for w in ("active unit", "active study unit",
                                                "active-unit"))
        if ("在册" in text and "registered" not in lower) or ("活跃" in text and "active" not in
                                                              lower) or (says_active and
                                                                         "活跃" not in text):
            mixed.append(f"{msgid} → {text}")
    assert mixed == []


def test_templates_translate_in_the_language_forced_or_chosen_again():
    """Templates look the catalogue up once per language choice (lawlearn.i18n.catalogue):
    a forced language, and the one chosen after a refresh, must each get their own."""
    from flask import render_template_string
    from flask_babel import gettext, lazy_gettext, refresh

    from lawlearn import create_app
    from lawlearn.i18n import speaking

    app = create_app({"SECRET_KEY": "test", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    page = "{{ _('Hand in') }}"
    with app.test_request_context("/", headers={"Accept-Language": "zh"}):
        assert render_template_string(page) == "交卷"
        label = lazy_gettext("Hand in")
        with speaking("en"):
            assert render_template_string(page) == "Hand in"
            assert gettext("Hand in") == str(label) == "Hand in"
        assert render_template_string(page) == "交卷"
        assert gettext("Hand in") == str(label) == "交卷"
        from flask import session
        session["lang"] = "en"
        refresh()
        assert render_template_string(page) == "Hand in"
