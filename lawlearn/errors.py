"""Error pages: the user's language, the site's layout, and JSON for the JSON endpoints."""

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from lawlearn.i18n import gettext as _
from lawlearn.period_locks import PeriodLocked

_MESSAGES = {
    400: lambda: _("The request could not be understood."),
    403: lambda: _("You do not have access to this page."),
    404: lambda: _("This page does not exist, or it is not yours to see."),
    405: lambda: _("This page cannot be used that way."),
    413: lambda: _("The file is too large."),
    429: lambda: _("Too many attempts. Please wait a few minutes and try again."),
    500: lambda: _("Something went wrong on our side. Please try again later."),
}


# Participants' pages (the phone quiz, QR check-in): people with no account, who should not
# be sent to the staff login or told about "their" jurisdiction.
PARTICIPANT_PREFIXES = ("/q/", "/s/")


def for_participant() -> bool:
    return request.path.startswith(PARTICIPANT_PREFIXES) or request.path == "/q"


def _participant_page(code: int, message: str):
    if code == 404:
        message = _("This quiz or check-in link does not exist, or it is no longer open. Check "
                    "the link, or choose a quiz from the list.")
    return render_template("errors/participant.html", code=code, message=message), code


def init_errors(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        message = _("The form has expired or was not sent from this site. Please reload the page "
                    "and try again.")
        if for_participant():
            return _participant_page(400, message)
        return render_template("errors/error.html", code=400, message=message), 400

    @app.errorhandler(PeriodLocked)
    def period_locked(error: PeriodLocked):
        # Raised at commit by the ledger's backstop, or by a check no page turned into a form
        # error: nothing of the request may be written.
        from lawlearn.extensions import db

        db.session.rollback()
        return http_error(error)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = error.code or 500
        wants_json = request.accept_mimetypes.best == "application/json"
        if request.path.startswith("/healthz") or wants_json:
            return {"error": error.name, "status": code}, code
        message = _MESSAGES.get(code, lambda: error.description)()
        if for_participant():
            return _participant_page(code, message)
        template = "errors/404.html" if code == 404 else "errors/error.html"
        return render_template(template, code=code, message=message), code
