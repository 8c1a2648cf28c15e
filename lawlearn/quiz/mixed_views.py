"""The county office composes a mixed paper (综合卷) from several banks by a blueprint."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from lawlearn import scope
from lawlearn.extensions import db
from lawlearn.i18n import gettext as _
from lawlearn.quiz.banks import BankError
from lawlearn.quiz.blueprint import bp
from lawlearn.quiz.forms import MixedPaperForm
from lawlearn.quiz.mixed import PaperSpec, parse_blueprint, plan_paper, save_paper


@bp.route("/quizzes/mixed/new", methods=["GET", "POST"])
def new_mixed_paper():
    scope.require(current_user.is_admin)
    form = MixedPaperForm()
    if not form.validate_on_submit():
        return render_template("quiz/mixed_form.html", form=form), 400 if form.errors else 200
    parts, problems = parse_blueprint(form.blueprint.data)
    try:
        if problems:
            raise BankError(problems)
        planned = plan_paper(PaperSpec(
            slug=form.slug.data, title=form.title.data, pass_score=form.pass_score.data,
            time_limit_minutes=form.time_limit_minutes.data,
            attempts_per_day=form.attempts_per_day.data, parts=parts))
    except BankError as error:
        return render_template("quiz/mixed_form.html", form=form, problems=error.problems), 400
    paper = save_paper(planned, actor=current_user)
    db.session.commit()
    flash(_("Mixed paper %(slug)s saved: %(n)d questions drawn per attempt.", slug=paper.slug,
            n=paper.draw), "success")
    return redirect(url_for("quiz.bank", slug=paper.slug))
