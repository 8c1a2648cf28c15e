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
