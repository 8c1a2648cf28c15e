"""What every template can use: code labels, the language switch, formatting."""

from urllib.parse import urlsplit

from flask import Flask, current_app, request, url_for
from flask_babel import get_locale
from jinja2 import pass_context

from lawlearn import clock, codes
from lawlearn.i18n import html_lang
from lawlearn.security import safe_next


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
            "current_path": return_path(),
        }

    @app.template_filter("label")
    @pass_context
    def label(_context, code: str, code_list: str) -> str:
        """A code's label in the request's language.

        `pass_context` is what keeps this a render-time call: Jinja folds a filter whose
        arguments are all constants (`{{ "household"|label("KINDS") }}`) into the compiled
        template, once, in whatever language the first request had, and then every language
        sees that word. A context filter is the one kind Jinja never folds (an
        eval-context filter still is), and it needs no change in the templates.
        """
        return getattr(codes, code_list).label(code)

    render_time_babel_filters(app)

    @app.template_filter("local_time")
    def local_time(value, fmt: str = "%Y-%m-%d %H:%M") -> str:
        """A timestamp as the county reads it: Beijing time (stored ones are UTC)."""
        value = clock.local(value)
        return "" if value is None else value.strftime(fmt)

    @app.template_filter("number")
    def number(value) -> str:
        return "—" if value is None else f"{value:,}"


# Flask-Babel's filters format numbers and dates by the request's locale: folded at compile time
# they would keep the first request's locale for good, like `label` above.
_LOCALE_FILTERS = ("datetimeformat", "dateformat", "timeformat", "timedeltaformat",
                   "numberformat", "decimalformat", "currencyformat", "percentformat",
                   "scientificformat")


def render_time_babel_filters(app: Flask) -> None:
    """Re-register Flask-Babel's locale-dependent filters as context filters, so Jinja cannot
    fold them (see `label`)."""
    for name in _LOCALE_FILTERS:
        original = app.jinja_env.filters.get(name)
        if original is None:
            continue

        def at_render_time(_context, value, *args, _original=original, **kwargs):
            return _original(value, *args, **kwargs)

        at_render_time.__doc__ = original.__doc__
        app.jinja_env.filters[name] = pass_context(at_render_time)


def _answers_get(path: str) -> bool:
    from werkzeug.exceptions import HTTPException
    from werkzeug.routing import RequestRedirect

    try:
        current_app.url_map.bind(request.host).match(path, method="GET")
    except (HTTPException, RequestRedirect):
        return False
    return True


def return_path() -> str:
    """Where the language and large-text links bring the reader back to.

    After a GET, this page. After a POST (a form shown again with its errors) the POST's address
    may answer only POST, and following the link there would be a 405: go back instead to the
    page the form was on (the referrer, when it is a page of this site that answers GET), else
    the form's own address if it answers GET, else the start page.
    """
    if request.method in ("GET", "HEAD"):
        return request.full_path.rstrip("?")
    if request.referrer:
        referrer = urlsplit(request.referrer)
        path = referrer.path + (f"?{referrer.query}" if referrer.query else "")
        if referrer.netloc == request.host and safe_next(path) and _answers_get(referrer.path):
            return path
    if _answers_get(request.path):
        return request.full_path.rstrip("?")
    if request.blueprint == "quiz_public":
        return url_for("quiz_public.public_index")
    return url_for("main.index")
