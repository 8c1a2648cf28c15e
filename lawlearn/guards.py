"""Guards every request passes before any view: input no view should ever have to handle.

- A NUL character anywhere in the path, the query string or a form: no field accepts one,
  and PostgreSQL refuses it in text (a view would fail with a 500). Answered 400 with a clear
  message, before routing reaches a view or a database.
- Ids in URLs: `<int:...>` matches only what a database id column can hold, so
  /areas/99999999999999999999 is a 404 like any other unknown id, not an overflow.
"""

from __future__ import annotations

from flask import Flask, render_template, request
from werkzeug.routing import IntegerConverter

from lawlearn.i18n import gettext as _
from lawlearn.validation import DB_INT_MAX


class DatabaseIdConverter(IntegerConverter):
    """`<int:...>` bounded to a database id (1 to 2**31-1); ASCII digits only, as before."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("min", 0)
        kwargs.setdefault("max", DB_INT_MAX)
        super().__init__(map, *args, **kwargs)


def register_converters(app: Flask) -> None:
    """Before the blueprints: a rule's converters are chosen when the rule is added."""
    app.url_map.converters["int"] = DatabaseIdConverter


def _holds_nul() -> bool:
    if "\x00" in request.path:
        return True
    for multi in (request.args, request.form):
        for key, values in multi.lists():
            # A multipart part with a malformed name comes back with the name None.
            if "\x00" in (key or "") or any("\x00" in (v or "") for v in values):
                return True
    return any("\x00" in (f.filename or "") for f in request.files.values())


def _has_a_nameless_part() -> bool:
    """A multipart part whose name did not parse comes back named None; WTForms' lists of
    rows cannot read such a form (they assume every name is text)."""
    return None in request.form or None in request.files


def init_guards(app: Flask) -> None:
    @app.before_request
    def refuse_nul_characters():
        if request.endpoint == "static":
            return None
        if _holds_nul():
            message = _("The request holds a NUL character (\\0), which no field or address "
                        "accepts. Type the text again, or check the file it was pasted from.")
        elif _has_a_nameless_part():
            message = _("Part of the form sent has no readable name. Open the page again and "
                        "send the form from it.")
        else:
            return None
        if request.accept_mimetypes.best == "application/json":
            return {"error": message, "status": 400}, 400
        return render_template("errors/error.html", code=400, message=message), 400
