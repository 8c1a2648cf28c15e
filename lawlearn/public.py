"""Small settings for participants' pages, which have no account."""

from flask import Blueprint, redirect, request, session, url_for

from lawlearn.security import safe_next

bp = Blueprint("public", __name__)


@bp.get("/large-text")
def large_text():
    session["large_text"] = request.args.get("on") == "1"
    return redirect(safe_next(request.args.get("next")) or url_for("main.index"))
