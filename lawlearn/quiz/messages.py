"""The GIFT and Aiken readers' messages, in the user's language.

The readers stay free of Flask and speak English (lawlearn.quiz.formats._messages); here each
of their sentences is matched back to its template and said again through gettext, so a staff
member uploading a file reads the problem in Chinese.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lawlearn.i18n import gettext as _
from lawlearn.quiz.formats import _messages as msg

_UNSUPPORTED = msg.SKIP_UNSUPPORTED

# (the reader's English template, the same sentence through gettext). The lambdas run at
# display time, in the request's language.
CATALOGUE: list[tuple[str, Callable[..., str]]] = [
    (msg.NOT_UTF8, lambda fmt: _("This file is not UTF-8 text. %(format)s files must use "
                                 "UTF-8 character encoding.", format=fmt)),
    (msg.RESERVED_CHARACTER, lambda: _("The text contains a reserved character (U+FDD0 to "
                                       "U+FDD6) that files may not use.")),
    (msg.GIFT_BRACES, lambda: _("Could not find {...} around the answers: a brace is "
                                "missing.")),
    (msg.GIFT_EXTRA_BRACES, lambda: _("A question may have only one {...} answer block; "
                                      "write a literal brace as \\{ or \\}.")),
    (msg.GIFT_NAME_UNCLOSED, lambda: _("The question name is not closed with '::'.")),
    (msg.GIFT_CATEGORY_NOT_ALONE, lambda: _("Put a blank line after the $CATEGORY: line.")),
    (msg.GIFT_EMPTY_STEM, lambda: _("The question has no text.")),
    (msg.GIFT_WEIGHT_RANGE, lambda weight: _("Answer weight %(weight)s per cent is outside "
                                             "-100 to 100 per cent.", weight=weight)),
    (_UNSUPPORTED["essay"], lambda: _("Essay questions are not supported.")),
    (_UNSUPPORTED["matching"], lambda: _("Matching questions are not supported.")),
    (_UNSUPPORTED["numerical"], lambda: _("Numerical questions are not supported.")),
    (_UNSUPPORTED["shortanswer"], lambda: _("Short-answer questions are not supported.")),
    (_UNSUPPORTED["description"], lambda: _("Text without {...} answers is a description, "
                                           "not a question.")),
    (msg.SKIP_TRUE_FALSE_CASE, lambda: _("Short-answer questions are not supported. (For "
                                         "true/false, write T, TRUE, F or FALSE in "
                                         "capitals.)")),
    (msg.SKIP_TOO_FEW_OPTIONS, lambda count: _("A choice question needs at least 2 options; "
                                               "this one has %(count)s.", count=count)),
    (msg.SKIP_TOO_MANY_OPTIONS, lambda limit, count: _(
        "A choice question may have at most %(limit)s options; this one has %(count)s.",
        limit=limit, count=count)),
    (msg.SKIP_NO_CORRECT, lambda: _("No option is marked correct.")),
    (msg.SKIP_SEVERAL_FULL_MARKS, lambda: _("More than one option is marked fully correct "
                                            "in a single-answer question.")),
    (msg.AIKEN_NOT_STARTED, lambda: _("An option or ANSWER line comes before any question "
                                      "text.")),
    (msg.AIKEN_NOT_COMPLETE, lambda: _("The previous question has no ANSWER line before "
                                       "this new question starts.")),
    (msg.AIKEN_ANSWER_SPELLING, lambda: _("The previous question has no ANSWER line: write "
                                          "it exactly as 'ANSWER: X' (capital letters, ASCII "
                                          "colon).")),
    (msg.AIKEN_TOO_FEW_OPTIONS, lambda: _("A question needs at least 2 options.")),
    (msg.AIKEN_EMPTY_OPTION, lambda: _("The option has no text.")),
    (msg.AIKEN_OPTION_ORDER, lambda expected: _("Options must be lettered A, B, C... in "
                                                "order: expected %(expected)s.",
                                                expected=expected)),
    (msg.AIKEN_BAD_ANSWER, lambda last: _("ANSWER must give one option letter, from A to "
                                          "%(last)s.", last=last)),
    (msg.AIKEN_UNFINISHED_AT_END, lambda: _("The question has no ANSWER line before the end "
                                            "of the file.")),
]


def _pattern(template: str) -> re.Pattern:
    parts = re.split(r"\{(\w+)\}", template)
    regex = "".join(re.escape(p) if i % 2 == 0 else rf"(?P<{p}>.+?)"
                    for i, p in enumerate(parts))
    return re.compile(rf"^{regex}$", re.S)


def translate_format_message(text: str) -> str:
    """`text` from the readers in the request's (or shell's) language; unknown text unchanged."""
    for template, say in CATALOGUE:
        match = _pattern(template).match(text)
        if match:
            return say(**match.groupdict())
    return text
