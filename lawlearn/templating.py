"""What every template can use: code labels, the language switch, formatting."""

from flask import Flask, request
from flask_babel import get_locale

from lawlearn import clock, codes
from lawlearn.i18n import html_lang


def init_templating(app: Flask) -> None:
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.add_extension("jinja2.ext.do")

    @app.context_processor
    def inject():
        locale = str(get_locale() or app.config["BABEL_DEFAULT_LOCALE"])
        return {
            "codes": codes,
            "locale": locale,
            "html_lang": html_lang(locale),
            "other_locale": "en" if locale.startswith("zh") else "zh_Hans",
            "current_path": request.full_path.rstrip("?"),
        }

    @app.template_filter("label")
    def label(code: str, code_list: str) -> str:
        return getattr(codes, code_list).label(code)

    @app.template_filter("local_time")
    def local_time(value, fmt: str = "%Y-%m-%d %H:%M") -> str:
        """A timestamp as the county reads it: Beijing time (stored ones are UTC)."""
        value = clock.local(value)
        return "" if value is None else value.strftime(fmt)

    @app.template_filter("number")
    def number(value) -> str:
        return "—" if value is None else f"{value:,}"
