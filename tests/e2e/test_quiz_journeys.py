"""A villager takes a quiz on a phone, in Chinese, in a real browser."""

from __future__ import annotations

import re

import pytest

from lawlearn.quiz.sync import sync_shipped_banks

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def banks(seed):
    seed(sync_shipped_banks)


def test_a_villager_takes_a_quiz_on_a_phone(open_page, banks):
    page = open_page("/q/", locale="zh-CN", **PHONE)
    assert page.locator("h1").inner_text() == "学法测验"
    page.get_by_role("link", name=re.compile("民法典知识测验")).click()
    page.fill("#name", "张大妈")
    page.fill("#mobile", "139 0000 1234")
    page.get_by_role("button", name="开始答题").click()
    page.wait_for_url("**/q/a/**")

    questions = page.locator("fieldset.question")
    assert questions.count() == 10
    # The read-aloud button shows where the browser can speak; the large-text switch always.
    speaks = page.evaluate("'speechSynthesis' in window")
    read_aloud = page.locator(".read-aloud")
    assert read_aloud.count() == 10
    assert read_aloud.first.is_visible() == speaks
    if speaks:
        read_aloud.first.click()
    assert page.locator(".countdown").is_visible()
    # Switching to large text mid-quiz reloads the page and keeps what was already ticked.
    first_choice = questions.nth(0).locator("label.option input").nth(1)
    first_choice.check()
    large = page.get_by_role("button", name="大字")
    assert large.is_visible()
    large.click()
    page.wait_for_url("**/q/a/**")
    assert "large-text" in page.locator("body").get_attribute("class")
    page.reload()  # the answer was sent as the page left, maybe after it reloaded
    assert questions.nth(0).locator("label.option input").nth(1).is_checked()

    for i in range(questions.count()):
        questions.nth(i).locator("label.option").first.click()
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path="/tmp/quiz-page.png")
    page.get_by_role("button", name="交卷").click()
    page.wait_for_url("**/q/r/**")

    score = page.locator(".result-score .figure").inner_text()
    assert re.match(r"^\d+(\.\d)?\s*/ 100$", score), score
    assert page.locator(".result-score .verdict").inner_text() in ("合格", "不合格")
    assert page.locator("section.review").count() == 10
    assert page.get_by_text("法律依据").count() == 10
    assert page.get_by_text("《中华人民共和国民法典》").count() >= 10
    # The article each answer rests on is folded away until tapped (no script needed).
    articles = page.locator("details.cited-article")
    assert articles.count() == 10
    assert not articles.first.locator("blockquote").is_visible()
    articles.first.locator("summary").click()
    assert re.match(r"^第[零一二三四五六七八九十百千]+条 ",
                    articles.first.locator("blockquote").inner_text())
    page.screenshot(path="/tmp/quiz-result.png")


def test_without_javascript_the_large_text_switch_keeps_the_ticked_answers(browser, live_app,
                                                                          banks):
    """A phone without JavaScript (or with it blocked): ticking six answers, then 大字, must
    not throw them away. The switch submits the answer form, which saves, then reloads."""
    context = browser.new_context(locale="zh-CN", java_script_enabled=False, **{
        "viewport": PHONE})
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(live_app.config["BASE_URL"] + "/q/civil-code")
        page.fill("#name", "李大爷")
        page.fill("#mobile", "139 0000 4321")
        page.get_by_role("button", name="开始答题").click()
        page.wait_for_url("**/q/a/**")
        questions = page.locator("fieldset.question")
        ticked = []
        for i in range(6):
            choice = questions.nth(i).locator("label.option input").last
            choice.check()
            ticked.append(choice.get_attribute("id"))
        page.get_by_role("button", name="大字").click()
        page.wait_for_url("**/q/a/**")
        assert "large-text" in page.locator("body").get_attribute("class")
        kept = [page.locator(f"#{id_}").is_checked() for id_ in ticked]
        assert kept == [True] * 6
        # And back: the switch now reads 标准字号 and keeps them again.
        page.get_by_role("button", name="标准字号").click()
        page.wait_for_url("**/q/a/**")
        assert "large-text" not in (page.locator("body").get_attribute("class") or "")
        assert all(page.locator(f"#{id_}").is_checked() for id_ in ticked)
    finally:
        context.close()


SMALL_PHONE = {"width": 360, "height": 740}


def _compose_mixed_paper():
    from lawlearn.quiz.mixed import PaperSpec, plan_paper, save_paper

    save_paper(plan_paper(PaperSpec(slug="mixed-2026", title="2026年综合测验",
                                    parts=[("civil-code", 5), ("anti-fraud", 3),
                                           ("constitution", 2)])))


@pytest.mark.parametrize("locale, start, hand_in, article", [
    ("zh-CN", "开始答题", "交卷", "法条原文"), ("en", "Start the quiz", "Hand in", "article")])
def test_a_mixed_paper_on_a_small_phone_shows_each_article_folded(open_page, seed, banks,
                                                                  locale, start, hand_in,
                                                                  article):
    seed(_compose_mixed_paper)
    page = open_page("/q/", locale=locale, **SMALL_PHONE)
    page.get_by_role("link", name=re.compile("2026年综合测验")).click()
    page.fill("#name", "张大妈")
    page.fill("#mobile", "139 0000 1234")
    page.get_by_role("button", name=start).click()
    page.wait_for_url("**/q/a/**")
    questions = page.locator("fieldset.question")
    assert questions.count() == 10
    for i in range(questions.count()):
        questions.nth(i).locator("label.option").first.click()
    page.get_by_role("button", name=hand_in).click()
    page.wait_for_url("**/q/r/**")
    # Articles of three laws, each folded away until tapped, in either language's layout. The
    # law is the one the legal basis names first (an explanation may quote another title, such
    # as the anthem's 《义勇军进行曲》 beside the Constitution's article on it).
    laws = {re.search(r"《(.+?)》", text).group(1) for text in page.locator(
        ".review-facts dd:has(details.cited-article)").all_inner_texts()}
    assert len(laws) == 3
    articles = page.locator("details.cited-article")
    assert articles.count() == 10
    assert all(not articles.nth(i).locator("blockquote").is_visible() for i in range(10))
    summary = articles.first.locator("summary")
    assert article in summary.inner_text().lower()
    summary.click()
    quote = articles.first.locator("blockquote")
    assert quote.is_visible() and re.match(r"^第[零一二三四五六七八九十百千]+条", quote.inner_text())
    # On a phone the labels stand above their answers: the article has the screen's width.
    assert quote.bounding_box()["width"] >= 0.75 * SMALL_PHONE["width"]
    # Nothing is wider than the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["width"]
    page.screenshot(path=f"/tmp/mixed-result-{locale}.png", full_page=False)
