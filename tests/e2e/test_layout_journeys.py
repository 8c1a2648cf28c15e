"""How the pages are laid out, measured in a real browser at 360 px (a phone) and 1,280 px (a
desktop), in Chinese and in English, and on A4 paper (print media): the county office reads its
coverage report on each. Screenshots land in /tmp/lawlearn-layout-*.png for a person to look at.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa

from lawlearn.areas.operations import create_area
from lawlearn.auth.operations import create_user
from lawlearn.extensions import db
from lawlearn.models import Attempt, Attendance, Person, Quiz, StudySession
from lawlearn.quiz.sync import sync_shipped_banks
from lawlearn.reports.targets import set_target
from lawlearn.units.operations import register_unit
from tests.e2e.conftest import log_in

PHONE, DESKTOP = 360, 1280
LOCALES = {"zh": "zh-CN", "en": "en-US"}
PERIOD = "from=2026-01-01&to=2026-06-30"
REPORT = f"/reports/coverage?area=330100&{PERIOD}"
SHOT = "/tmp/lawlearn-layout-{}.png"
TOWNS = [("330101", "城关镇"), ("330102", "青山镇"), ("330103", "白沙镇"), ("330104", "南湖街道")]
# English law names long enough to have been cut on the chart's axis ("Anti-Dr…").
TOPICS = ["anti-drug", "anti-fraud", "civil-code", "labor-contract"]


@pytest.fixture
def county(seed):
    def build():
        sync_shipped_banks()
        county = create_area(code="330100", name="示范县", level="county", parent=None)
        create_user(username="office", password="correct horse battery", role="admin",
                    area=county)
        quizzes = {q.topic: q for q in db.session.scalars(sa.select(Quiz))}
        people = [Person(name=n) for n in ("甲", "乙", "丙", "丁")]
        for t, (code, name) in enumerate(TOWNS):
            town = create_area(code=code, name=name, level="town", parent=county)
            village = create_area(code=f"{code}001", name=f"{name}东村", level="village",
                                  parent=town)
            community = create_area(code=f"{code}101", name=f"{name}幸福社区",
                                    level="community", parent=town)
            enterprise = create_area(code=f"{code}E01", name=f"{name}机械厂",
                                     level="enterprise", parent=town)
            units = [register_unit(kind=kind, area=area, name=f"{area.name}学法点",
                                   leader_name="王建国", leader_phone="13900000011", reach=20,
                                   registered_on=date(2026, 1, 5))
                     for kind, area in (("household", village), ("building", community),
                                        ("enterprise_group", enterprise))]
            for kind, target in (("household", 1), ("building", 2), ("enterprise_group", 1)):
                set_target(area=town, year=2026, kind=kind, target=target)
            for u, unit in enumerate(units):
                session = StudySession(code=f"S{t}{u}", unit=unit,
                                       held_on=date(2026, 3 + u, 10), format="lecture")
                session.attendance += [Attendance(person=p, status="present", method="roster")
                                       for p in people]
                db.session.add(session)
                db.session.flush()
                topic = TOPICS[(t + u) % len(TOPICS)]
                db.session.add(Attempt(quiz=quizzes[topic], person=people[u], session=session,
                                       unit_id=unit.id, taken_on=session.held_on,
                                       score=60 + 10 * u, passed=True, method="paper"))

    seed(build)


@pytest.fixture
def office_page(open_page, live_app, county):
    """A page signed in as the county office, in a language and at a width."""

    def open_(lang: str, width: int, path: str = REPORT):
        page = open_page("/login", locale=LOCALES[lang], width=width,
                         height=740 if width == PHONE else 900)
        log_in(page, live_app.config["BASE_URL"], "office")
        page.goto(live_app.config["BASE_URL"] + path)
        return page

    return open_


def sideways_scroll(page) -> int:
    """How far the whole page scrolls sideways (0 is right)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def header_boxes(page) -> list[dict]:
    """Each header cell of the report table with its box and the box of its text."""
    return page.evaluate("""() => [...document.querySelectorAll('.report-table thead th')]
      .map(th => { const r = document.createRange(); r.selectNodeContents(th);
        const t = r.getBoundingClientRect(), c = th.getBoundingClientRect();
        return {text: th.innerText, cell: [c.left, c.right, c.top, c.bottom],
                words: [t.left, t.right, t.top, t.bottom]}; })""")


def characters_per_line(page, selector: str) -> list[list[int]]:
    """For each element, how many characters each of its lines holds."""
    return page.evaluate("""(selector) => [...document.querySelectorAll(selector)].map(el => {
      const lines = new Map(); const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (let i = 0; i < node.length; i++) {
          if (!node.data[i].trim()) continue;
          const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
          const top = Math.round(r.getBoundingClientRect().top);
          lines.set(top, (lines.get(top) || 0) + 1);
        }
      }
      return [...lines.values()]; })""", selector)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_on_a_phone_the_report_shows_key_figures_first_and_a_table_that_says_it_scrolls(
        office_page, lang):
    page = office_page(lang, PHONE)
    assert sideways_scroll(page) == 0
    # Key figures first: the totals come before the area and period controls.
    kpis = page.locator(".kpis").bounding_box()
    assert kpis["y"] < page.locator("form.report-filters").bounding_box()["y"]
    # A card per town with its key figures, every figure inside the card.
    cards = page.locator(".area-cards > li")
    assert cards.count() == len(TOWNS)
    assert [cards.nth(i).locator("h3").inner_text() for i in range(len(TOWNS))] == \
        [name for _, name in TOWNS]
    for i in range(cards.count()):
        card = cards.nth(i).bounding_box()
        for dd in cards.nth(i).locator("dd").all():
            box = dd.bounding_box()
            assert card["x"] <= box["x"] and box["x"] + box["width"] <= card["x"] + card["width"]
    # The full table scrolls inside its box, and a line says so.
    assert page.locator(".scroll-hint").is_visible()
    wrap = page.locator(".report-table-wrap")
    widths = wrap.evaluate("w => [w.scrollWidth, w.clientWidth]")
    assert widths[0] > widths[1]
    page.screenshot(path=SHOT.format(f"report-{lang}-360"), full_page=True)
    # The area column stays in view while the figures scroll under it.
    first_area = page.locator(".report-table tbody th.area-col").first
    first_area.scroll_into_view_if_needed()
    before = first_area.bounding_box()["x"]
    wrap.evaluate("w => { w.scrollLeft = w.scrollWidth; }")
    assert first_area.bounding_box()["x"] == pytest.approx(before, abs=1)
    assert wrap.evaluate("w => w.scrollLeft") > 0
    hit = first_area.evaluate("""th => { const b = th.getBoundingClientRect();
      return th.contains(document.elementFromPoint(b.left + 10, b.top + b.height / 2)); }""")
    assert hit  # drawn on top of the figures scrolled under it
    page.screenshot(path=SHOT.format(f"report-{lang}-360-scrolled"))
    # The targets: every kind of every town is on screen (stacked), none hidden off the edge.
    cells = page.locator(".targets-table tbody td")
    assert cells.count() == len(TOWNS) * 3
    for cell in cells.all():
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE
        band = cell.locator(".band").bounding_box()
        assert band["x"] + band["width"] <= PHONE


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_on_a_desktop_the_report_table_fits_and_no_header_runs_into_another(office_page, lang):
    page = office_page(lang, DESKTOP)
    assert sideways_scroll(page) == 0
    assert not page.locator(".area-cards").is_visible()
    assert not page.locator(".scroll-hint").is_visible()
    wrap = page.locator(".report-table-wrap")
    assert wrap.evaluate("w => w.scrollWidth <= w.clientWidth")  # sixteen figures fit
    boxes = header_boxes(page)
    for box in boxes:  # each header's words inside its own cell ("AttendancesParticipants")
        left, right = box["cell"][:2]
        assert left <= box["words"][0] and box["words"][1] <= right, box
    lower = sorted((b for b in boxes if b["words"][3] > boxes[-1]["cell"][2] - 1),
                   key=lambda b: b["words"][0])
    for a, b in zip(lower, lower[1:], strict=False):
        if a["words"][3] > b["words"][2] and b["words"][3] > a["words"][2]:  # side by side
            assert a["words"][1] + 4 <= b["words"][0], (a, b)
    # Chart labels whole: every law's name is on the axis, none cut short.
    labels = page.locator("svg.chart.scores text.label")
    assert labels.count() == len(TOPICS)
    assert not any("…" in text for text in labels.all_text_contents())
    if lang == "en":
        assert "Anti-Drug Law" in labels.all_text_contents()
    page.screenshot(path=SHOT.format(f"report-{lang}-1280"), full_page=True)


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_chinese_headers_keep_more_than_one_character_a_line(office_page, width):
    page = office_page("zh", width)
    for lines in characters_per_line(page, ".report-table thead th"):
        assert min(lines) >= 2, lines
        if len(lines) > 1:
            assert sum(lines) / len(lines) >= 2.5, lines


def test_on_paper_headings_stay_with_small_tables_and_no_target_row_is_left_alone(
        office_page, live_app):
    page = office_page("zh", 1123, REPORT.replace("coverage?", "coverage/print?"))
    page.emulate_media(media="print")
    styles = page.evaluate("""() => ({
      h2: getComputedStyle(document.querySelector('#targets')).breakAfter,
      targets: getComputedStyle(document.querySelector('.targets-table')).breakInside,
      row: getComputedStyle(document.querySelector('.report-table tbody tr')).breakInside})""")
    assert styles == {"h2": "avoid", "targets": "avoid", "row": "avoid"}
    assert sideways_scroll(page) == 0
    page.screenshot(path=SHOT.format("report-print"), full_page=True)


def test_a_paper_quiz_never_breaks_an_answer_blank(office_page, live_app):
    with live_app.app_context():
        session_id = db.session.scalar(sa.select(StudySession.id).where(
            StudySession.code == "S00"))
    page = office_page("zh", 794, f"/quizzes/sessions/{session_id}/sheet")
    page.get_by_role("button", name="抽取题目").click()
    page.wait_for_url(re.compile(r".*/sheet\?quiz=.*"))
    page.emulate_media(media="print")
    blanks = page.locator(".sheet-questions .bracket")
    assert blanks.count() >= 10
    assert {b.evaluate("e => getComputedStyle(e).whiteSpace") for b in blanks.all()} == \
        {"nowrap"}
    # On one line: a blank's box is one line high wherever it falls.
    assert all(b.evaluate("e => e.getClientRects().length") == 1 for b in blanks.all())
    page.screenshot(path=SHOT.format("quiz-sheet-print"), full_page=True)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_on_a_phone_the_menu_folds_into_one_line_and_opens_without_javascript(
        office_page, browser, live_app, lang):
    page = office_page(lang, PHONE, "/home")
    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= 60  # was 189 of 740 px
    reports = page.locator(".menu .nav a[href='/reports/coverage']")
    assert not reports.is_visible()
    assert page.locator(".nav-language a").is_visible()  # the other language: one tap
    page.locator(".menu > summary").click()
    assert reports.is_visible()
    page.screenshot(path=SHOT.format(f"menu-{lang}-360"))
    reports.click()
    page.wait_for_url("**/reports/coverage**")
    # A desktop shows the whole menu and no "Menu" line.
    wide = office_page(lang, DESKTOP, "/home")
    assert not wide.locator(".menu > summary").is_visible()
    assert wide.locator(".menu .nav a[href='/reports/coverage']").is_visible()
