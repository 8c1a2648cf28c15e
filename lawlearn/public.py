"""Participants' pages: who they are for, and their small settings. Participants have no
account."""

from flask import Blueprint, redirect, request, session, url_for

from lawlearn.security import safe_next

# The blueprints of pages for people without an account: the QR check-in, the phone quiz, the
# annual exam's candidates' pages, the verification pages a certificate's or a plaque's QR
# code opens, and this module's settings. They never load the staff account: a phone may
# carry a staff login cookie (a leader checks in at their own meeting), and reading
# `current_user` there would cost two SQL statements a request for nothing these pages show.
# App-wide hooks that read the staff account return early for these blueprints
# (lawlearn.auth.views.new_password_first); their views and templates never read it
# (tests/fuzz/test_participant_pages.py). One exception is left as it was: an HTTP error
# under /x/ or /verify/ (abort(404) for an unknown exam link, a 429) is answered with the staff
# error page (lawlearn.errors.for_participant goes by /q/ and /s/), whose layout reads it.
PARTICIPANT_BLUEPRINTS = frozenset({
    "public",              # this module: the large-text switch
    "checkin",             # lawlearn.sessions.public_views: check-in by QR code (/s/…)
    "quiz_public",         # lawlearn.quiz.public_views: the quiz (/q/…)
    "exam_public",         # lawlearn.exams.public_views: the annual exam (/x/…)
    "exam_verify",         # lawlearn.exams.verify: a certificate's verification page
    "recognition_public",  # lawlearn.recognition.public_views: a plaque's verification page
})

bp = Blueprint("public", __name__)


@bp.get("/large-text")
def large_text():
    session["large_text"] = request.args.get("on") == "1"
    return redirect(safe_next(request.args.get("next")) or url_for("main.index"))
