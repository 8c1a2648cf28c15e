"""lawlearn: grassroots legal education for a county law-popularisation office."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from lawlearn.paths import MIGRATIONS_DIR, TEMPLATES_DIR


def create_app(test_config: dict | None = None) -> Flask:
    """Application factory (Flask tutorial's pattern). No database work happens here."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("LAWLEARN_INSTANCE_PATH") or None,
        instance_relative_config=True,
        template_folder=str(TEMPLATES_DIR),
    )
    register_config(app, test_config)
    from lawlearn.uploads import LawlearnRequest

    app.request_class = LawlearnRequest
    register_proxy(app)
    register_extensions(app)
    register_guards(app)
    register_blueprints(app)
    register_security(app)
    register_errors(app)
    register_template_helpers(app)
    register_cli(app)
    register_housekeeping(app)
    return app


def register_config(app: Flask, test_config: dict | None) -> None:
    from lawlearn.config import from_environment

    app.config.update(from_environment(Path(app.instance_path), test_config))
    if test_config:
        app.config.update(test_config)


def register_proxy(app: Flask) -> None:
    count = app.config.get("PROXY_COUNT", 0)
    if count:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)


def register_extensions(app: Flask) -> None:
    from lawlearn import ledger, transactions
    from lawlearn.auth.sessions import init_login
    from lawlearn.extensions import babel, csrf, db, limiter, migrate
    from lawlearn.i18n import (
        choose_per_request,
        fast_template_gettext,
        lazy_strings_as_text,
        select_locale,
    )

    db.init_app(app)
    transactions.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    from lawlearn.workers import check_limiter_storage

    check_limiter_storage(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(Path(__file__).parent / "translations"),
    )
    fast_template_gettext(app)
    init_login(app)
    ledger.init_app(app)  # keeps the report's summaries in every write's transaction
    lazy_strings_as_text()
    app.before_request(choose_per_request)


def register_guards(app: Flask) -> None:
    from lawlearn.guards import init_guards, register_converters

    register_converters(app)
    init_guards(app)


def register_blueprints(app: Flask) -> None:
    from lawlearn.accounts.views import bp as accounts_bp
    from lawlearn.activities.views import bp as activities_bp
    from lawlearn.areas.views import bp as areas_bp
    from lawlearn.assessment.views import bp as assessment_bp
    from lawlearn.audit_log.views import bp as audit_bp
    from lawlearn.auth.views import bp as auth_bp
    from lawlearn.binders.views import bp as binders_bp
    from lawlearn.budgets.views import bp as budgets_bp
    from lawlearn.exams.public_views import bp as exam_public_bp
    from lawlearn.exams.verify import bp as exam_verify_bp
    from lawlearn.exams.views import bp as exams_bp
    from lawlearn.health import bp as health_bp
    from lawlearn.imports.views import bp as imports_bp
    from lawlearn.main import bp as main_bp
    from lawlearn.period_locks.views import bp as period_locks_bp
    from lawlearn.plans.views import bp as plans_bp
    from lawlearn.public import bp as public_bp
    from lawlearn.quiz.public_views import bp as quiz_public_bp
    from lawlearn.quiz.views import bp as quiz_bp
    from lawlearn.recognition.public_views import bp as recognition_public_bp
    from lawlearn.recognition.views import bp as recognition_bp
    from lawlearn.reports.views import bp as reports_bp
    from lawlearn.returns.views import bp as returns_bp
    from lawlearn.sessions.public_views import bp as checkin_bp
    from lawlearn.sessions.views import bp as sessions_bp
    from lawlearn.units.views import bp as units_bp

    for bp in (main_bp, health_bp, auth_bp, accounts_bp, areas_bp, units_bp, imports_bp,
               checkin_bp, sessions_bp, quiz_public_bp, quiz_bp, reports_bp, assessment_bp,
               public_bp, audit_bp, plans_bp, returns_bp, activities_bp, binders_bp, budgets_bp,
               exam_public_bp, exam_verify_bp, exams_bp, period_locks_bp, recognition_public_bp,
               recognition_bp):
        app.register_blueprint(bp)


def register_security(app: Flask) -> None:
    from lawlearn.security import init_security

    init_security(app)


def register_errors(app: Flask) -> None:
    from lawlearn.errors import init_errors

    init_errors(app)


def register_template_helpers(app: Flask) -> None:
    from lawlearn.templating import init_templating

    init_templating(app)


def register_housekeeping(app: Flask) -> None:
    """Pending import files past their hour go at start, whatever happened to the last run."""
    from lawlearn.imports import pending

    pending.purge(app.instance_path, app.config["IMPORT_PENDING_SECONDS"])


def register_cli(app: Flask) -> None:
    from lawlearn.cli import register_commands

    register_commands(app)
