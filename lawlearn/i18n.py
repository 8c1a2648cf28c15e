"""Language choice: the user's pick (kept in the session), else the browser's Accept-Language,
else Simplified Chinese."""

from flask import current_app, request, session

# What a browser sends → our catalogue. Any Chinese variant gets Simplified Chinese: it is the
# only Chinese we have, and a reader of Traditional Chinese reads it far better than English.
_BROWSER_TO_LOCALE = {"zh": "zh_Hans", "en": "en"}


def select_locale() -> str:
    chosen = session.get("lang")
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    best = request.accept_languages.best_match(list(_BROWSER_TO_LOCALE))
    return _BROWSER_TO_LOCALE.get(best or "", current_app.config["BABEL_DEFAULT_LOCALE"])


def html_lang(locale: str) -> str:
    return "zh-CN" if locale.startswith("zh") else locale
