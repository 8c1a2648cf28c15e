"""The report's mean score by law reads the summaries by topic, not every attempt: exact for
any period, and a page of whole months reads no attempt at all (issue 15)."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from lawlearn.extensions import db
from lawlearn.models import Area, Attempt, Quiz, StudyUnit
from lawlearn.reports.periods import Period
from lawlearn.reports.queries import scores_by_topic
from tests.conftest import TODAY, login
from tests.reports.test_web_access import add_towns, recorded_queries

pytestmark = pytest.mark.usefixtures("fixed_today")

PERIODS = [
    Period(date(2026, 1, 1), TODAY),             # this year: whole months
    Period(date(2026, 3, 1), date(2026, 6, 30)),  # whole months in the past
    Period(date(2026, 3, 10), date(2026, 7, 1)),  # ragged at both ends
    Period(date(2025, 12, 1), date(2026, 7, 2)),  # across a year
    Period(date(2026, 7, 2), date(2026, 7, 2)),   # one day
]


def recount(area: Area, period: Period) -> list[dict]:
    """The same figures from the attempts themselves, the obvious way."""
    stmt = (sa.select(Quiz.topic, sa.func.count(Attempt.id), sa.func.avg(Attempt.score),
                      sa.func.sum(sa.case((Attempt.passed, 1), else_=0)))
            .join(Quiz, Quiz.id == Attempt.quiz_id)
            .join(StudyUnit, StudyUnit.id == Attempt.unit_id)
            .join(Area, Area.id == StudyUnit.area_id)
            .where(Area.path.startswith(area.path), Attempt.score.is_not(None),
                   Attempt.taken_on.between(period.start, period.end))
            .group_by(Quiz.topic).order_by(Quiz.topic))
    return [{"topic": topic, "attempts": n, "mean_score": round(float(mean), 2),
             "pass_rate": round(int(passes) / n, 4)}
            for topic, n, mean, passes in db.session.execute(stmt)]


def area(code: str) -> Area:
    return db.session.scalar(sa.select(Area).where(Area.code == code))


@pytest.mark.parametrize("period", PERIODS, ids=str)
def test_mean_scores_by_law_equal_a_recount_of_the_attempts(small_county, period):
    for code in ("330100", "330101", "330102"):
        assert scores_by_topic(area(code), period, TODAY) == recount(area(code), period)


def test_a_bank_moved_to_another_law_takes_its_scores_with_it(small_county):
    quiz = db.session.scalar(sa.select(Quiz))
    quiz.topic = "anti-fraud"
    db.session.commit()
    county = area("330100")
    scores = scores_by_topic(county, PERIODS[0], TODAY)
    assert [s["topic"] for s in scores] == ["anti-fraud"]
    assert scores == recount(county, PERIODS[0])


def test_the_coverage_page_of_whole_months_reads_no_attempt(app, client, small_county,
                                                            make_user):
    login(client, make_user("admin", area=small_county["county"]))
    add_towns("330100", 3)
    url = "/reports/coverage?area=330100&preset=this_year"
    assert client.get(url).status_code == 200
    with recorded_queries(app) as statements:
        page = client.get(url)
    assert page.status_code == 200 and 'role="img"' in page.get_data(as_text=True)
    assert not [s for s in statements if " attempts" in " ".join(s.split())]
