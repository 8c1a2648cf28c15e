"""Logging in and out, and choosing the language."""

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user

from lawlearn.audit import record
from lawlearn.auth import operations, throttle
from lawlearn.auth.forms import ChangePasswordForm, LoginForm
from lawlearn.auth.sessions import CurrentUser
from lawlearn.extensions import db
from lawlearn.i18n import gettext as _
from lawlearn.public import PARTICIPANT_BLUEPRINTS
from lawlearn.security import safe_next

bp = Blueprint("auth", __name__)

# What someone whose password was reset may still open before choosing their own.
BEFORE_NEW_PASSWORD = {"auth.change_password", "auth.logout", "auth.set_language", "static",
                       "health.healthz"}


@bp.before_app_request
def new_password_first():
    """After a reset, every staff page leads to the change-password form until the holder has
    replaced the one-time password (which someone else has seen).

    Participants' pages (PARTICIPANT_BLUEPRINTS) do not use the staff account, so they are
    left alone: reading `current_user` there would load the login and its user (two SQL
    statements) on every check-in and quiz page opened on a phone that carries a staff login.
    """
    if request.blueprint in PARTICIPANT_BLUEPRINTS or request.endpoint in BEFORE_NEW_PASSWORD:
        return None
    if current_user.is_authenticated and current_user.must_change_password:
        return redirect(url_for("auth.change_password"))
    return None


def _wait_message(seconds: int) -> str:
    return _("Too many failed logins from here. Try again in %(n)d seconds.", n=seconds)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form)
    address = get_remote_address()
    attempt = throttle.begin(form.username.data, address)
    if isinstance(attempt, throttle.Wait):
        form.password.errors.append(_wait_message(attempt.seconds))
        response = current_app.make_response(
            (render_template("auth/login.html", form=form), 429))
        response.headers["Retry-After"] = str(attempt.seconds)
        return response
    check = operations.authenticate(form.username.data, form.password.data)
    if not check.ok:
        if check.disabled:
            throttle.succeeded(attempt)  # the password was right: not a guess to slow down
            form.password.errors.append(_("This account is disabled. Ask the county office "
                                          "or your town coordinator."))
        else:
            wait = throttle.failed(attempt)
            form.password.errors.append(_("Wrong username or password."))
            if wait:
                form.password.errors.append(_wait_message(wait))
        record(None, "login_failed", check.user, object_type="users",
               object_code=form.username.data, address=address,
               changes={"disabled": True} if check.disabled else None)
        db.session.commit()
        return render_template("auth/login.html", form=form)
    throttle.succeeded(attempt)
    user = check.user
    lang = session.get("lang")
    # A fresh session at login: nothing set before it (by anyone) survives into it.
    session.clear()
    if lang:
        session["lang"] = lang
    login = operations.start_login(user)
    record(user, "login", user, address=address)
    db.session.commit()
    login_user(CurrentUser(login))
    session.permanent = True
    if user.must_change_password:
        flash(_("Your password was reset. Choose your own password to go on."), "info")
        return redirect(url_for("auth.change_password"))
    return redirect(safe_next(request.args.get("next")) or url_for("main.home"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    user = current_user.user
    form = ChangePasswordForm(username=user.username)
    if not form.validate_on_submit():
        return render_template("auth/change_password.html", form=form)
    address = get_remote_address()
    # The current password is a password check like a login's: throttled the same way, so a
    # phone left logged in is no way to guess it.
    attempt = throttle.begin(user.username, address)
    if isinstance(attempt, throttle.Wait):
        form.current.errors.append(_wait_message(attempt.seconds))
        return render_template("auth/change_password.html", form=form), 429
    if not user.check_password(form.current.data):
        form.current.errors.append(_("The current password is wrong."))
        if wait := throttle.failed(attempt):
            form.current.errors.append(_wait_message(wait))
        return render_template("auth/change_password.html", form=form)
    throttle.succeeded(attempt)
    operations.change_password(user, form.password.data, keep=current_user.login,
                               address=address)
    db.session.commit()
    flash(_("Your password is changed. Your other logins have ended."), "success")
    return redirect(url_for("main.home"))


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
