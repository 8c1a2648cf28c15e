"""A non-editable wheel install works: templates, quiz banks, the law texts they cite, migrations
and translations ship inside the package, and the console script runs."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out),
                    str(ROOT)], check=True, capture_output=True)
    return next(out.glob("lawlearn-*.whl"))


def test_the_wheel_carries_templates_banks_laws_migrations_and_translations(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("lawlearn/templates/base.html", "lawlearn/quizzes/civil-code.yaml",
                   "lawlearn/laws/civil-code.md", "lawlearn/laws/README.md",
                   "lawlearn/migrations/versions/0001_foundation.py",
                   "lawlearn/migrations/alembic.ini",
                   "lawlearn/translations/zh_Hans/LC_MESSAGES/messages.mo",
                   "lawlearn/static/css/app.css"):
        assert needed in names, needed


def test_an_installed_wheel_migrates_and_serves_a_chinese_page(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target",
                    str(target), str(wheel)], check=True, capture_output=True)
    script = f"""
import sys
sys.path.insert(0, {str(target)!r})
import lawlearn
assert lawlearn.__file__.startswith({str(target)!r}), lawlearn.__file__
from flask_migrate import upgrade
app = lawlearn.create_app({{"SECRET_KEY": "k",
    "SQLALCHEMY_DATABASE_URI": "sqlite:///{tmp_path / 'db.sqlite'}"}})
with app.app_context():
    upgrade()
page = app.test_client().get("/login", headers={{"Accept-Language": "zh-CN"}})
assert page.status_code == 200 and "登录" in page.get_data(as_text=True), page.status_code
from lawlearn.quiz.banks import check_folder
from lawlearn.quiz.citations import LawTexts, cited_article
from lawlearn.paths import QUIZZES_DIR
with app.test_request_context():
    assert check_folder(QUIZZES_DIR, LawTexts()) == (len(list(QUIZZES_DIR.glob("*.yaml"))), [])
assert cited_article("《中华人民共和国民法典》第一千零四十七条").heading == "第一千零四十七条"
print("ok")
"""
    # Run from an empty folder so the checkout itself is not importable.
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().endswith("ok")
