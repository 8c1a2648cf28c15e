"""Scoping of the assessment pages: a town's coordinator reaches their own town's score, sheet,
entries and evidence and gets a 404 for another town's, as if it did not exist; of the
county-wide pages they read only the scheme. Joins the route-map check in
tests/integration/test_scoping.py through ROUTES."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from lawlearn.extensions import db
from lawlearn.models import AssessmentEvidence, AuditEvent
from tests.assessment.helpers import load_scheme
from tests.conftest import login
from tests.integration.helpers import count

pytestmark = pytest.mark.usefixtures("fixed_today")

PDF = b"%PDF-1.4\n%%EOF\n"

# (endpoint, method, address, form data or None): {town} and {evidence} are filled per town.
TOWN_ROUTES = [
    ("assessment.town", "GET", "/assessment/2026/towns/{town}", None),
    ("assessment.sheet", "GET", "/assessment/2026/towns/{town}/sheet", None),
    ("assessment.sheet_xlsx", "GET", "/assessment/2026/towns/{town}/sheet.xlsx", None),
    ("assessment.save_entry", "POST", "/assessment/2026/towns/{town}/entries/E1",
     {"E1-value": "1"}),
    ("assessment.add_evidence", "POST", "/assessment/2026/towns/{town}/entries/E1/evidence",
     "file"),
    ("assessment.evidence_file", "GET", "/assessment/evidence/{evidence}", None),
    ("assessment.remove_evidence", "POST", "/assessment/evidence/{evidence}/remove", {}),
]
# County-wide pages, by year, with what a town's coordinator gets: the scheme is every town's
# rulebook (readable); the ranking sends them to their own town's page; downloads of all towns,
# publishing and reviewing are the office's.
COUNTY_ROUTES = [
    ("assessment.scheme", "GET", "/assessment/2026/scheme", None, 200),
    ("assessment.download_scheme", "GET", "/assessment/2026/scheme.yaml", None, 200),
    ("assessment.results", "GET", "/assessment/2026/", None, 302),
    ("assessment.export", "GET", "/assessment/2026/scores.xlsx", None, 403),
    ("assessment.publish", "POST", "/assessment/2026/publish", {}, 403),
    ("assessment.edit_scheme", "GET", "/assessment/2026/scheme/edit", None, 403),
    ("assessment.edit_scheme", "POST", "/assessment/2026/scheme/edit", {"title": "x"}, 403),
    ("assessment.review_entry", "POST", "/assessment/2026/towns/{town}/entries/M1/review",
     {"decision": "accept"}, 403),
]
# Another town's rectification (整改) and session links: a 404 before anything is looked at
# (or a 403 where only the office may act at all: the due date and the decision).
OTHER_TOWN_ROUTES = [
    ("assessment.rectification", "GET", "/assessment/2026/towns/{town}/rectification", None),
    ("assessment.rectification_file", "GET",
     "/assessment/2026/towns/{town}/rectification/file", None),
    ("assessment.rectification_report", "POST",
     "/assessment/2026/towns/{town}/rectification/report", "file"),
    ("assessment.rectification_due", "POST",
     "/assessment/2026/towns/{town}/rectification/due", {"due_on": "2026-12-31"}),
    ("assessment.rectification_decision", "POST",
     "/assessment/2026/towns/{town}/rectification/decision", {"decision": "accept"}),
    ("assessment.link_session", "POST", "/assessment/2026/towns/{town}/entries/E1/sessions",
     {"session_id": "1"}),
    ("assessment.unlink_session", "POST", "/assessment/session-links/{link}/remove", {}),
    ("assessment.download_scheme_xlsx", "GET", "/assessment/2026/scheme.xlsx", None),
]
ROUTES = TOWN_ROUTES + COUNTY_ROUTES + OTHER_TOWN_ROUTES


@pytest.fixture
def towns(assessed_county, runner, tmp_path, client, make_user, app):
    """Each town with an entry and an evidence file of its own, added by its coordinator."""
    assert load_scheme(runner, tmp_path).exit_code == 0
    found = {}
    for key, code in (("own", "330101"), ("other", "330102")):
        town = assessed_county["towns"][code]
        login(client, make_user("coordinator", area=town, username=f"coord-{code}"))
        base = f"/assessment/2026/towns/{town.id}/entries/E1"
        assert client.post(base, data={"E1-value": "2"}).status_code == 302
        assert client.post(f"{base}/evidence", content_type="multipart/form-data",
                           data={"evidence-E1-file": (io.BytesIO(PDF), "总结.pdf")}
                           ).status_code == 302
        client.post("/logout")
        with app.app_context():
            evidence = db.session.scalar(
                sa.select(AssessmentEvidence.id).order_by(AssessmentEvidence.id.desc()))
        found[key] = {"town": town.id, "evidence": evidence, "link": 0}
    return found


def send(client, route, objects) -> int:
    """The status of one request (the response closed: file downloads hold the file open)."""
    _endpoint, method, address, data = route[:4]
    url = address.format(**objects)
    if method == "GET":
        response = client.get(url)
    elif data == "file":
        response = client.post(url, content_type="multipart/form-data",
                               data={"evidence-E1-file": (io.BytesIO(PDF), "补充.pdf")})
    else:
        response = client.post(url, data=data)
    response.close()
    return response.status_code


@pytest.mark.parametrize("route", TOWN_ROUTES, ids=[f"{r[0]}-{r[1]}" for r in TOWN_ROUTES])
def test_a_coordinator_gets_404_for_another_towns_assessment_and_in_for_their_own(
        app, client, towns, make_user, assessed_county, route):
    login(client, make_user("coordinator", area=assessed_county["towns"]["330101"]))
    events = count(app, AuditEvent)
    assert send(client, route, towns["other"]) == 404
    assert count(app, AuditEvent) == events  # nothing changed over there
    assert send(client, route, towns["own"]) in (200, 302)


@pytest.mark.parametrize("route", COUNTY_ROUTES, ids=[f"{r[0]}-{r[1]}" for r in COUNTY_ROUTES])
def test_a_coordinator_reads_the_scheme_and_nothing_else_county_wide(
        app, client, towns, make_user, assessed_county, route):
    login(client, make_user("coordinator", area=assessed_county["towns"]["330101"]))
    events = count(app, AuditEvent)
    status = send(client, route, towns["own"])
    assert status == route[4]
    if status == 302:
        assert client.get(route[2]).headers["Location"].endswith(
            f"/assessment/2026/towns/{towns['own']['town']}")
    assert count(app, AuditEvent) == events


@pytest.mark.parametrize("route", OTHER_TOWN_ROUTES[:-1],
                         ids=[f"{r[0]}-{r[1]}" for r in OTHER_TOWN_ROUTES[:-1]])
def test_another_towns_rectification_and_session_links_are_404_to_a_coordinator(
        app, client, towns, make_user, assessed_county, route):
    login(client, make_user("coordinator", area=assessed_county["towns"]["330101"]))
    events = count(app, AuditEvent)
    office_only = route[0] in ("assessment.rectification_due", "assessment.rectification_decision")
    assert send(client, route, towns["other"]) == (403 if office_only else 404)
    assert count(app, AuditEvent) == events


def test_a_coordinator_downloads_the_scheme_sheet_like_the_scheme(client, towns, make_user,
                                                                   assessed_county):
    login(client, make_user("coordinator", area=assessed_county["towns"]["330101"]))
    assert send(client, OTHER_TOWN_ROUTES[-1], towns["own"]) == 200
