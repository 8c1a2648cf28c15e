"""An attacker's link must not put markup into a page: what the query string says comes back
as text. Lazy translations are where it slipped through (Flask-Babel's LazyString declares
itself safe HTML), so every lazy string is escaped, and none interpolates a value."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

MARKUP = "<meta http-equiv=refresh content='0;url=https://evil.example/'>"
ESCAPED = "&lt;meta http-equiv=refresh"


@pytest.mark.parametrize("path", ["/reports/coverage", "/reports/coverage/print"])
@pytest.mark.parametrize("parameter", ["area", "format", "preset", "from", "to"])
def test_markup_in_a_report_parameter_comes_back_as_text(office, county, path, parameter):
    response = office.get(path, query_string={"area": "330100", parameter: MARKUP})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "http-equiv=refresh" not in page.replace(ESCAPED, "")
    assert ESCAPED in page  # the message still shows what was asked for


def test_a_lazy_translation_renders_as_escaped_text(app):
    from flask import render_template_string
    from flask_babel import lazy_gettext

    with app.test_request_context():
        message = lazy_gettext("No area has the code %(code)s.", code="<b>x</b>")
        page = render_template_string("{{ m }}", m=message)
        assert "<b>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page


def test_no_lazy_translation_interpolates_a_value():
    """A lazy string is built once and shown later; a value put into it is user input more
    often than not. Messages with values use gettext at request time instead."""
    root = Path(__file__).resolve().parents[2] / "lawlearn"
    found = []
    for source in root.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("_l", "lazy_gettext", "lazy_ngettext")
                    and (node.keywords or len(node.args) > 1)):
                found.append(f"{source.relative_to(root.parent)}:{node.lineno}")
    assert found == []
