"""Write lawlearn/auth/common_passwords.txt: passwords of 12 or more characters that people
pick from well-known patterns, generated here from those patterns (no list copied from
anywhere). Shorter ones need no list: the length rule refuses them.

    python scripts/make_common_passwords.py

The patterns: keyboard walks and digit runs stretched to 12+ characters; a common word or
name of the site, followed by the digits, years and lucky numbers people append (123456,
2024, 888, 520, 1314 ...), in lower case (the check ignores case). Single repeated
characters and short repeated units ("abcabcabcabc") are refused by rule in
lawlearn/auth/passwords.py rather than listed.
"""

from __future__ import annotations

from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "lawlearn/auth/common_passwords.txt"
MIN, MAX = 12, 32

WORDS = [
    "password", "passw0rd", "p@ssword", "p@ssw0rd", "pass", "admin", "administrator", "root",
    "user", "test", "guest", "login", "welcome", "letmein", "iloveyou", "qwerty", "abc", "abcd",
    "abcdef", "master", "monkey", "dragon", "sunshine", "princess", "football", "baseball",
    "superman", "batman", "shadow", "secret", "changeme", "default", "hello", "trustno1",
    "china", "beijing", "shanghai", "zhongguo", "woaini", "aini", "wodemima", "mima", "mimamima",
    "zxcvbnm", "asdfgh", "qazwsx", "lawlearn", "lawlearn-demo", "pufa", "pufaban", "sifaju",
    "office", "county", "leader", "coordinator", "xuexi", "falv",
]
SUFFIXES = [
    "", "1", "12", "123", "1234", "12345", "123456", "1234567", "12345678", "123456789",
    "1234567890", "0", "00", "000", "0000", "000000", "111", "1111", "111111", "666", "6666",
    "666666", "888", "8888", "888888", "520", "521", "1314", "5201314", "!", "!!", "@123",
    "#123", "123!", "1234!", "123456!", "!@#", "!@#$", "!@#$%", "?", ".", "_123",
    *[str(year) for year in range(1950, 2036)],
]
WALKS = [
    "1234567890", "0987654321", "qwertyuiop", "poiuytrewq", "asdfghjkl", "lkjhgfdsa",
    "zxcvbnm", "mnbvcxz", "1qaz2wsx3edc4rfv5tgb", "qazwsxedcrfvtgb", "1q2w3e4r5t6y7u8i9o0p",
    "q1w2e3r4t5y6u7i8o9p0", "!qaz@wsx#edc$rfv", "zaq12wsx", "zaq1xsw2cde3vfr4",
    "qwertyuiopasdfghjkl", "asdfghjklzxcvbnm", "qweasdzxc", "qweasdzxc123", "1qazxsw2",
    "abcdefghijklmnopqrstuvwxyz", "147258369", "159357", "741852963", "qwerty123456",
    "a1b2c3d4e5f6g7h8", "1a2b3c4d5e6f7g8h",
]


def stretched(walk: str) -> set[str]:
    """A walk cut to every length from MIN up, and repeated to reach MIN when it is shorter."""
    out = set()
    longer = walk * (MAX // len(walk) + 1)
    for n in range(MIN, MAX + 1):
        out.add(longer[:n])
    return out


def main() -> None:
    found: set[str] = set()
    for word in WORDS:
        for suffix in SUFFIXES:
            # Numbers go before a word too ("123456admin"), years only after it.
            before = suffix if not suffix.isdigit() or len(suffix) != 4 else None
            for candidate in (word + suffix, before and before + word, word + word):
                if candidate and MIN <= len(candidate) <= MAX:
                    found.add(candidate)
    for walk in WALKS:
        found |= stretched(walk)
        for suffix in SUFFIXES:
            if MIN <= len(walk + suffix) <= MAX:
                found.add(walk + suffix)
    OUT.write_text("".join(f"{p}\n" for p in sorted(found)), encoding="utf-8")
    print(f"{len(found)} passwords written to {OUT.relative_to(OUT.parents[2])}")


if __name__ == "__main__":
    main()
