"""Language choice: the user's pick (kept in the session), else the browser's Accept-Language,
else Simplified Chinese."""

import os
from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app, g, has_app_context, has_request_context, request, session
from flask_babel import Domain, force_locale, get_locale, get_translations, refresh

# What a browser sends → our catalogue. Any Chinese variant gets Simplified Chinese: it is the
# only Chinese we have, and a reader of Traditional Chinese reads it far better than English.
_BROWSER_TO_LOCALE = {"zh": "zh_Hans", "en": "en"}


def select_locale() -> str:
    if not has_request_context():
        return shell_locale()
    chosen = session.get("lang")
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    best = request.accept_languages.best_match(list(_BROWSER_TO_LOCALE))
    return _BROWSER_TO_LOCALE.get(best or "", current_app.config["BABEL_DEFAULT_LOCALE"])


def shell_locale() -> str:
    """The command line follows the shell's language, like every other command."""
    shell = os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG")
    return "zh_Hans" if (shell or "").lower().startswith("zh") else "en"


@contextmanager
def speaking(locale: str) -> Iterator[None]:
    """Translate in `locale` for a while: a command's file in the language it was asked for.

    Flask-Babel keeps its state on `g` and takes an empty `g` for "no context", in which case
    `force_locale` silently does nothing; a command's fresh app context has exactly that empty
    `g`. Putting the choice on `g` first gives Flask-Babel somewhere to keep it.
    """
    if has_app_context():
        g.forced_language = locale
    with force_locale(locale):
        yield


def choose_per_request() -> None:
    """Forget the language worked out for the last request in this app context.

    Flask-Babel caches the locale on `g`, which a request shares with an app context already
    pushed around it (a test's, a script's): without this the first request's language would
    stick to every later one there.
    """
    refresh()


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


def catalogue(load=None):
    """The translations of the language chosen for this request (or forced for a while).

    Flask-Babel finds them afresh for every message: three look-ups of its context through
    `g`, the locale's name built, a dictionary; 5 µs a message, and a page like the coverage
    report translates some 300 (1.5 ms). This keeps them on `g` beside the locale object they
    belong to, and reads that object straight from Flask-Babel's namespace on `g` (one look-up
    of `g`, 0.1 µs): `force_locale` and `refresh` replace or remove it, so a forced or
    re-chosen language is never served the catalogue of the one before. `load` finds them
    when they are not kept yet."""
    try:
        kept = g._get_current_object().__dict__
    except RuntimeError:  # no application context: Flask-Babel's own answer
        return get_translations()
    memo = kept.get("_catalogue")
    if memo is not None and memo[0] is getattr(kept.get("_flask_babel"), "babel_locale", None):
        return memo[1]
    locale = get_locale()  # chooses the language when this request has not yet
    translations = (load or get_translations)()
    if locale is not None:  # None: an empty `g`, which Flask-Babel takes for no context
        kept["_catalogue"] = (locale, translations)
    return translations


def gettext(string: str, **variables) -> str:
    """Flask-Babel's `gettext`, through `catalogue` (its own looks up its context twice more
    per message, 8 µs against 1). Used as `_` in Python code; `pybabel extract` finds it."""
    translated = catalogue().ugettext(string)
    return translated % variables if variables else translated


def ngettext(singular: str, plural: str, num: int, **variables) -> str:
    variables.setdefault("num", num)
    return catalogue().ungettext(singular, plural, num) % variables


def lazy_gettext(string: str, **variables):
    """A label translated when it is shown, in the language of the request showing it."""
    from flask_babel.speaklater import LazyString

    return LazyString(gettext, string, **variables)


class RememberingDomain(Domain):
    """Flask-Babel's message domain, its catalogue found through `catalogue`: every `_()` in
    Python and every lazy label (a form's, a code list's) goes through here."""

    def get_translations(self):
        return catalogue(super().get_translations)


def fast_template_gettext(app) -> None:
    """Templates translate through `catalogue` (see there)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: catalogue().ugettext(s),
        ngettext=lambda s, p, n: catalogue().ungettext(s, p, n),
        pgettext=lambda c, s: catalogue().upgettext(c, s),
        npgettext=lambda c, s, p, n: catalogue().unpgettext(c, s, p, n),
        newstyle=True)
