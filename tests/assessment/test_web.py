"""The assessment pages: the office uploads a scheme, sees the ranking and each town's
arithmetic in words, records entries and reviews a town's self-assessment; a coordinator sees
only their own town; leaders see nothing."""

from __future__ import annotations

import html
import io
import re

import pytest
import sqlalchemy as sa

from lawlearn.extensions import db
from lawlearn.models import AssessmentEntry, AssessmentScheme, AuditEvent
from tests.assessment.helpers import SCHEME, import_entries, load_scheme
from tests.conftest import login, recorded_queries

EN = {"Accept-Language": "en"}
pytestmark = pytest.mark.usefixtures("fixed_today")


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def office(client, assessed_county, make_user):
    login(client, make_user("admin", area=assessed_county["county"]))
    return client


@pytest.fixture
def loaded(assessed_county, runner, tmp_path):
    assert load_scheme(runner, tmp_path).exit_code == 0
    return assessed_county


def town_id(county, code="330101"):
    return county["towns"][code].id


def upload(client, data: bytes):
    return client.post("/assessment/upload", headers=EN, content_type="multipart/form-data",
                       data={"file": (io.BytesIO(data), "scheme.yaml")})


def test_the_office_uploads_a_scheme_and_sees_it_grouped(office, assessed_county):
    grouped = SCHEME.replace("name: 学法中心户建设,", "name: 学法中心户建设, group: 阵地建设,"
                             " basis: 中心户名册,").replace("name: 楼长集中学法,",
                                                      "name: 楼长集中学法, group: 阵地建设,")
    response = upload(office, grouped.encode())
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/assessment/2026/scheme")
    page = text(office.get("/assessment/2026/scheme", headers=EN))
    assert page.count("阵地建设") == 1 and "中心户名册" in page
    assert "2 points off each time, down to 0." in page  # a rule without a written standard
    download = office.get("/assessment/2026/scheme.yaml")
    assert "group: 阵地建设" in download.get_data(as_text=True)


def test_a_bad_scheme_upload_is_refused_naming_the_item(office, assessed_county):
    response = upload(office, SCHEME.replace("kind: bonus", "kind: extra").encode())
    assert response.status_code == 400
    assert "Item E1: unknown rule kind “extra”" in text(response)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AssessmentScheme)) == 0


def test_the_ranking_and_a_towns_arithmetic_in_words(office, loaded, runner, tmp_path):
    from tests.assessment.helpers import ENTRIES

    import_entries(runner, tmp_path, ENTRIES)
    page = text(office.get("/assessment/2026/", headers=EN)).split('<h2>Ranking</h2>')[1]
    assert page.index("城关镇") < page.index("青山镇") < page.index("南山镇")
    assert "81.2" in page and "Vetoed" in page
    town = text(office.get(f"/assessment/2026/towns/{town_id(loaded)}", headers=EN))
    assert "3 of 4 units active = 75 %, full marks at 80 % → 18.75 of 20" in town
    assert "4 Sessions for 4 units = 1 per unit, full marks at 1.5 per unit → 13.33 of 20" in town
    assert "2 × 1.0675 deducted, down to 0 at most → 7.87 of 10" in town
    assert "Rank 1 of 5" in town
    qingshan = text(office.get(f"/assessment/2026/towns/{town_id(loaded, '330102')}",
                               headers=EN))
    assert "No target set for Study household this year (未设定目标) → 0 of 15" in qingshan
    assert "no quiz attempts, so no pass rate, below every band → 0 of 15" in qingshan


def test_the_ranking_costs_the_same_queries_for_more_towns(office, loaded, make_area, app):
    office.get("/assessment/2026/")
    with recorded_queries(app) as few:
        assert office.get("/assessment/2026/").status_code == 200
    for n in range(6, 12):
        make_area("town", parent=loaded["county"], code=f"3301{n:02d}", name=f"新镇{n}")
    office.get("/assessment/2026/")
    with recorded_queries(app) as many:
        page = office.get("/assessment/2026/")
    assert "新镇11" in text(page)
    assert len(many) == len(few)


def test_self_assessment_counts_once_the_county_accepts_it(client, loaded, make_user, app):
    town = town_id(loaded)
    login(client, make_user("coordinator", area=loaded["towns"]["330101"]))
    # Every request in English: the test's request context keeps the first request's language.
    assert client.get("/assessment/2026/", headers=EN).headers["Location"].endswith(
        f"/assessment/2026/towns/{town}")
    saved = client.post(f"/assessment/2026/towns/{town}/entries/E1", headers=EN,
                        data={"E1-value": "3", "E1-note": "市级表彰"})
    assert saved.status_code == 302
    page = text(client.get(f"/assessment/2026/towns/{town}", headers=EN))
    assert "Self-assessed 3, waiting for review" in page
    assert "Bonus 0, at most 5 → 0" in page  # not counted before review
    home = text(client.get("/home", headers=EN))
    assert "Assessment 2026: live score" in home

    client.post("/logout", headers=EN)
    login(client, make_user("admin", area=loaded["county"]))
    refused = client.post(f"/assessment/2026/towns/{town}/entries/E1/review",
                          headers=EN, data={"review-E1-value": "2", "review-E1-reason": ""})
    assert refused.status_code == 400 and "Give a reason" in text(refused)
    adjusted = client.post(f"/assessment/2026/towns/{town}/entries/E1/review", headers=EN,
                           data={"review-E1-value": "2", "review-E1-reason": "市级表彰计2分"})
    assert adjusted.status_code == 302
    with app.app_context():
        entry = db.session.scalars(sa.select(AssessmentEntry)).one()
        assert (entry.status, entry.value, entry.claimed) == ("adjusted", 2, 3)
        actions = db.session.scalars(sa.select(AuditEvent.action).where(
            AuditEvent.object_type == "assessment_entries").order_by(AuditEvent.id)).all()
        assert actions == ["self-assess", "adjust"]
    page = text(client.get(f"/assessment/2026/towns/{town}", headers=EN))
    assert "Bonus 2, at most 5 → 2" in page


def test_the_office_records_an_entry_that_counts_at_once(office, loaded, app):
    town = town_id(loaded, "330103")
    assert office.post(f"/assessment/2026/towns/{town}/entries/D1", headers=EN,
                       data={"D1-value": "1.5", "D1-note": ""}).status_code == 302
    page = text(office.get(f"/assessment/2026/towns/{town}", headers=EN))
    assert "2 × 1.5 deducted, down to 0 at most → 7 of 10" in page
    bad = office.post(f"/assessment/2026/towns/{town}/entries/D1", headers=EN,
                      data={"D1-value": "-2", "D1-note": "留下的字"})
    assert bad.status_code == 400 and "留下的字" in text(bad)
    assert office.post(f"/assessment/2026/towns/{town}/entries/B1",
                       data={"B1-value": "1"}).status_code == 404


def test_a_coordinator_sees_only_their_own_town(client, loaded, make_user):
    login(client, make_user("coordinator", area=loaded["towns"]["330101"]))
    other = town_id(loaded, "330102")
    assert client.get(f"/assessment/2026/towns/{other}").status_code == 404
    assert client.post(f"/assessment/2026/towns/{other}/entries/E1",
                       data={"E1-value": "1"}).status_code == 404
    assert client.get("/assessment/2026/scores.xlsx").status_code == 403
    assert client.post("/assessment/upload").status_code == 403


def test_leaders_have_no_access(client, loaded, make_user, make_unit):
    village = loaded["towns"]["330101"]
    from lawlearn.models import StudyUnit

    unit = db.session.scalars(sa.select(StudyUnit)).first()
    login(client, make_user("leader", units=[unit]))
    assert client.get("/assessment/").status_code == 403
    assert client.get(f"/assessment/2026/towns/{village.id}").status_code == 403


def test_copying_last_years_scheme_starts_the_next_year(office, loaded):
    response = office.post("/assessment/copy", data={"year": "2027"})
    assert response.status_code == 302
    copied = db.session.scalar(sa.select(AssessmentScheme).where(AssessmentScheme.year == 2027))
    assert copied.title == "2027年度普法工作定量考核细则"
    assert (copied.period_start.isoformat(), copied.period_end.isoformat()) == (
        "2027-01-01", "2027-12-31")
    again = office.post("/assessment/copy", data={"year": "2027"})
    assert again.status_code == 303


def test_the_office_downloads_the_scores(office, loaded):
    response = office.get("/assessment/2026/scores.csv")
    assert response.status_code == 200
    assert response.get_data(as_text=True).lstrip("\ufeff").startswith("code,name,A1")
    assert office.get("/assessment/2026/scores.pdf").status_code == 404
    assert office.get("/assessment/2031/").status_code == 404


def png_with_gps() -> bytes:
    from PIL import Image

    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x8825] = {2: (30, 15, 0)}  # GPSInfo: a latitude
    out = io.BytesIO()
    image.save(out, "PNG", exif=exif)
    return out.getvalue()


def test_evidence_is_attached_stripped_scoped_and_removable(client, loaded, make_user, app):
    town = town_id(loaded)
    login(client, make_user("coordinator", area=loaded["towns"]["330101"]))
    client.post(f"/assessment/2026/towns/{town}/entries/E1", data={"E1-value": "3"})
    added = client.post(f"/assessment/2026/towns/{town}/entries/E1/evidence",
                        content_type="multipart/form-data",
                        data={"evidence-E1-file": (io.BytesIO(png_with_gps()), "表彰.png")})
    assert added.status_code == 302
    pdf = client.post(f"/assessment/2026/towns/{town}/entries/E1/evidence",
                      content_type="multipart/form-data",
                      data={"evidence-E1-file": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "文件.pdf")})
    assert pdf.status_code == 302
    fake = client.post(f"/assessment/2026/towns/{town}/entries/E1/evidence", headers=EN,
                       content_type="multipart/form-data",
                       data={"evidence-E1-file": (io.BytesIO(b"not a picture"), "x.png")})
    assert fake.status_code == 400
    with app.app_context():
        from lawlearn.models import AssessmentEvidence

        files = db.session.scalars(sa.select(AssessmentEvidence)
                                   .order_by(AssessmentEvidence.id)).all()
        assert [f.original_name for f in files] == ["表彰.png", "文件.pdf"]
        ids = [f.id for f in files]
    from PIL import Image

    with client.get(f"/assessment/evidence/{ids[0]}") as photo:
        assert photo.status_code == 200 and not Image.open(io.BytesIO(photo.data)).getexif()
    with client.get(f"/assessment/evidence/{ids[1]}") as pdf_file:
        assert pdf_file.data.startswith(b"%PDF-")
    client.post("/logout")
    login(client, make_user("coordinator", area=loaded["towns"]["330102"]))
    assert client.get(f"/assessment/evidence/{ids[0]}").status_code == 404
    assert client.post(f"/assessment/evidence/{ids[0]}/remove").status_code == 404
    client.post("/logout")
    login(client, make_user("admin", area=loaded["county"]))
    assert client.post(f"/assessment/evidence/{ids[0]}/remove").status_code == 302
    assert client.get(f"/assessment/evidence/{ids[0]}").status_code == 404


def test_towns_in_tiers_are_also_ranked_within_their_tier(office, assessed_county, runner,
                                                          tmp_path):
    tiered = SCHEME + ('tiers: [{name: 一类镇, areas: ["330101", "330105"]},'
                       ' {name: 二类镇, areas: ["330102", "330103", "330104"]}]\n')
    assert load_scheme(runner, tmp_path, tiered).exit_code == 0
    from tests.assessment.helpers import ENTRIES

    import_entries(runner, tmp_path, ENTRIES)
    page = office.get("/assessment/2026/", headers=EN).get_data(as_text=True)
    rows = re.findall(r"<tr>\s*<td class=\"num\" data-label=\"Rank\">(\d+)</td>.*?"
                      r"data-label=\"Tier\">([^<]+)</td>\s*<td class=\"num\" "
                      r"data-label=\"Rank in tier\">(\d+)</td>", page, re.S)
    assert rows == [("1", "一类镇", "1"), ("2", "二类镇", "1"), ("3", "二类镇", "2"),
                    ("3", "二类镇", "2"), ("5", "一类镇", "2")]
    # The contract's ranking does not read tiers.
    scored = runner.invoke(args=["assess", "score", "--year", "2026"])
    assert '"rank": 5' in scored.output


def test_a_town_in_two_tiers_is_refused(assessed_county, runner, tmp_path):
    tiered = SCHEME + 'tiers: [{name: 一类, areas: ["330101"]}, {name: 二类, areas: ["330101"]}]\n'
    result = load_scheme(runner, tmp_path, tiered)
    assert result.exit_code != 0 and "330101" in result.output


def test_the_ranking_names_the_advanced_and_the_lagging_towns(office, loaded, runner, tmp_path):
    from tests.assessment.helpers import ENTRIES

    import_entries(runner, tmp_path, ENTRIES)
    page = text(office.get("/assessment/2026/", headers=EN))
    advanced = page.split("Advanced: grade")[1].split("</section>")[0]
    lagging = page.split("Lagging: grade")[1].split("</section>")[0]
    assert "None" in advanced  # nobody reached 优秀
    assert "青山镇、东湖镇、西岭镇、南山镇" in lagging and "城关镇" not in lagging
