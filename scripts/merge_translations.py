"""Merge Chinese translations from lawlearn/translations/incoming/*.json into the zh_Hans
catalogue, then report what is still untranslated.

Each JSON file maps an English msgid to its Chinese text (for a plural msgid, the singular
msgid maps to the one Chinese form). Run by `make translations` after `pybabel update`; the
JSON files let several people add strings at once without editing the same .po file.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "lawlearn/translations/zh_Hans/LC_MESSAGES/messages.po"
INCOMING = ROOT / "lawlearn/translations/incoming"


def main() -> int:
    incoming: dict[str, str] = {}
    for path in sorted(INCOMING.glob("*.json")):
        incoming.update(json.loads(path.read_text(encoding="utf-8")))
    with PO.open("rb") as f:
        catalogue = read_po(f, locale="zh_Hans")
    missing = []
    for message in catalogue:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if key in incoming:
            message.string = (incoming[key],) if isinstance(message.id, tuple) else incoming[key]
        message.flags.discard("fuzzy")
        text = message.string[0] if isinstance(message.string, tuple) else message.string
        if not text:
            missing.append(key)
    with PO.open("wb") as f:
        write_po(f, catalogue, width=100, omit_header=False, no_location=True)
    for key in missing:
        print(f"untranslated: {key!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
