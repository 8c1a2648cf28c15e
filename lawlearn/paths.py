"""Where the templates, the quiz banks and the law texts live.

In a source checkout templates/ and quizzes/ are top-level folders beside the package (the layout
of docs/contracts.md); a wheel carries them inside the package (pyproject's force-include). Look in
the package first so an installed copy never picks up some unrelated checkout's files. The law
texts the banks cite are package data in both cases.
"""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    inside = PACKAGE_DIR / name
    return inside if inside.is_dir() else PACKAGE_DIR.parent / name


TEMPLATES_DIR = _shipped("templates")
QUIZZES_DIR = _shipped("quizzes")
MIGRATIONS_DIR = PACKAGE_DIR / "migrations"
LAWS_DIR = PACKAGE_DIR / "laws"
