"""Language choice: the user's pick (kept in the session), else the browser's Accept-Language,
else Simplified Chinese."""

import os

from flask import current_app, has_request_context, request, session

# What a browser sends → our catalogue. Any Chinese variant gets Simplified Chinese: it is the
# only Chinese we have, and a reader of Traditional Chinese reads it far better than English.
_BROWSER_TO_LOCALE = {"zh": "zh_Hans", "en": "en"}


def select_locale() -> str:
    if not has_request_context():
        # The command line follows the shell's language, like every other command.
        shell = os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG")
        return "zh_Hans" if (shell or "").lower().startswith("zh") else "en"
    chosen = session.get("lang")
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    best = request.accept_languages.best_match(list(_BROWSER_TO_LOCALE))
    return _BROWSER_TO_LOCALE.get(best or "", current_app.config["BABEL_DEFAULT_LOCALE"])


def html_lang(locale: str) -> str:
    return "zh-CN" if locale.startswith("zh") else locale


def lazy_strings_as_text() -> None:
    """Make a lazy translation render as text, escaped like any other string.

    Flask-Babel's LazyString has an `__html__` that returns the translation unescaped, so Jinja
    takes it for trusted markup. A lazy message that interpolates what a user typed
    (`_l("No area has the code %(code)s.", code=...)`) then put that input into the page as
    HTML: a `<meta http-equiv=refresh>` in a report's `?area=` moved the reader's browser.
    Our lazy strings are labels and messages, never markup, so escaping them is always right.
    """
    from flask_babel.speaklater import LazyString
    from markupsafe import escape

    LazyString.__html__ = lambda self: str(escape(str(self)))
