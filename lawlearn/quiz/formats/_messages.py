"""Every user-facing sentence of the GIFT and Aiken readers, in one place.

They are plain English strings for now. When the app wraps them with gettext, only this module
changes: placeholders are named (``{count}``), so translators can reorder them.
"""

from __future__ import annotations

# --- Shared -------------------------------------------------------------------------------------
NOT_UTF8 = "This file is not UTF-8 text. {fmt} files must use UTF-8 character encoding."
RESERVED_CHARACTER = (
    "The text contains a reserved character (U+FDD0 to U+FDD6) that files may not use."
)

# --- GIFT: errors (they refuse the whole file) --------------------------------------------------
GIFT_BRACES = "Could not find {...} around the answers: a brace is missing."
GIFT_EXTRA_BRACES = (
    "A question may have only one {...} answer block; write a literal brace as \\{ or \\}."
)
GIFT_NAME_UNCLOSED = "The question name is not closed with '::'."
GIFT_CATEGORY_NOT_ALONE = "Put a blank line after the $CATEGORY: line."
GIFT_EMPTY_STEM = "The question has no text."
GIFT_WEIGHT_RANGE = "Answer weight {weight}% is outside -100% to 100%."

# --- GIFT and Aiken: reasons for skipping a question (the rest of the file is imported) ---------
SKIP_UNSUPPORTED = {
    "essay": "Essay questions are not supported.",
    "matching": "Matching questions are not supported.",
    "numerical": "Numerical questions are not supported.",
    "shortanswer": "Short-answer questions are not supported.",
    "description": "Text without {...} answers is a description, not a question.",
}
SKIP_TRUE_FALSE_CASE = (
    "Short-answer questions are not supported. (For true/false, write T, TRUE, F or FALSE"
    " in capitals.)"
)
SKIP_TOO_FEW_OPTIONS = "A choice question needs at least 2 options; this one has {count}."
SKIP_TOO_MANY_OPTIONS = "A choice question may have at most {limit} options; this one has {count}."
SKIP_NO_CORRECT = "No option is marked correct."
SKIP_SEVERAL_FULL_MARKS = (
    "More than one option is marked fully correct in a single-answer question."
)

# --- Aiken: errors (they refuse the whole file) -------------------------------------------------
AIKEN_NOT_STARTED = "An option or ANSWER line comes before any question text."
AIKEN_NOT_COMPLETE = "The previous question has no ANSWER line before this new question starts."
AIKEN_ANSWER_SPELLING = (
    "The previous question has no ANSWER line: write it exactly as 'ANSWER: X'"
    " (capital letters, ASCII colon)."
)
AIKEN_TOO_FEW_OPTIONS = "A question needs at least 2 options."
AIKEN_EMPTY_OPTION = "The option has no text."
AIKEN_OPTION_ORDER = "Options must be lettered A, B, C... in order: expected {expected}."
AIKEN_BAD_ANSWER = "ANSWER must give one option letter, from A to {last}."
AIKEN_UNFINISHED_AT_END = "The question has no ANSWER line before the end of the file."
