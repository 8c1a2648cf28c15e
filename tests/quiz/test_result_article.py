"""The result page shows the text of the article each answer rests on, from the law texts
shipped with the app."""

from __future__ import annotations

import re
from dataclasses import replace

from lawlearn.extensions import db
from tests.quiz.conftest import TINY, answers, start, text


def articles_shown(page: str) -> list[str]:
    return [re.sub(r"<[^>]+>|\s+", "", block) for block in
            re.findall(r'<details class="cited-article">(.*?)</details>', page, re.S)]


def test_each_answer_shows_the_article_it_cites(app, client, tiny):
    token = start(client)
    client.post(f"/q/a/{token}", data=answers(app, token))
    page = text(client.get(f"/q/r/{token}"))
    shown = articles_shown(page)
    assert len(shown) == 4 and all(block.startswith("法条原文") for block in shown)
    assert "法条原文第十七条十八周岁以上的自然人为成年人。不满十八周岁的自然人为未成年人。" in shown
    assert any(block.startswith("法条原文第二十条不满八周岁的未成年人为无民事行为能力人") for block in shown)
    english = text(client.get(f"/q/r/{token}", headers={"Accept-Language": "en"}))
    assert "Text of the article" in english


def test_a_source_that_is_no_article_of_a_shipped_law_is_shown_alone(app, client):
    from lawlearn.quiz.sync import sync_bank

    loose = replace(TINY, slug="loose", questions=[
        replace(q, key=f"loose-00{i}", source=source) for i, (q, source) in enumerate(zip(
            TINY.questions, ["《中华人民共和国民法典》第一千三百条", "民法典第十八条",
                             "《中华人民共和国刑法》第十七条", "《中华人民共和国民法典》第二十条"], strict=True),
            start=1)])
    with app.app_context():
        sync_bank(loose, source_hash=None)
        db.session.commit()
    token = start(client, slug="loose")
    client.post(f"/q/a/{token}", data=answers(app, token))
    page = text(client.get(f"/q/r/{token}"))
    for source in ("《中华人民共和国民法典》第一千三百条", "民法典第十八条", "《中华人民共和国刑法》第十七条"):
        assert source in page
    assert articles_shown(page) == ["法条原文第二十条不满八周岁的未成年人为无民事行为能力人，由其法定代理人代理实施民事法律行为。"]
