"""Logging in and out, and choosing the language."""

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from lawlearn.auth import operations
from lawlearn.auth.forms import LoginForm
from lawlearn.auth.sessions import CurrentUser
from lawlearn.extensions import db, limiter
from lawlearn.security import safe_next

bp = Blueprint("auth", __name__)


def _login_key() -> str:
    # Throttle per account, not per address: a village office shares one address, and an attacker
    # guessing one account's password from many addresses is the case to stop.
    return "login:" + (request.form.get("username") or "").strip().lower()


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_FAILURE_LIMIT"],
    key_func=_login_key,
    methods=["POST"],
    deduct_when=lambda response: g.get("login_failed", False),
)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = operations.authenticate(form.username.data, form.password.data)
        if user is None:
            g.login_failed = True
            form.password.errors.append(_("Wrong username or password."))
        else:
            lang = session.get("lang")
            # A fresh session at login: nothing set before it (by anyone) survives into it.
            session.clear()
            if lang:
                session["lang"] = lang
            login = operations.start_login(user)
            db.session.commit()
            login_user(CurrentUser(login))
            session.permanent = True
            return redirect(safe_next(request.args.get("next")) or url_for("main.home"))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    operations.end_login(current_user.login)
    db.session.commit()
    logout_user()
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.get("/lang/<code>")
def set_language(code: str):
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    return redirect(safe_next(request.args.get("next")) or url_for("main.home"))
