"""The public verification page a plaque's QR code opens: no account; valid, expired,
revoked (with the day) as such; a forged, edited or unknown token, or a nomination never
approved, is the same clear 404; nothing personal on it; rate-limited per address."""

from __future__ import annotations

import re
from datetime import datetime, time

import pytest

from lawlearn import clock
from lawlearn.recognition.signing import recognition_id_from, token_for
from tests.conftest import running_app
from tests.recognition.conftest import approved, as_user, newest, nominate


def verify_url(app, rid: int) -> str:
    with app.test_request_context():
        return f"/verify/recognition/{token_for(rid)}"


def page(client, url):
    response = client.get(url)
    return response.status_code, response.get_data(as_text=True)


def test_a_valid_recognition_shows_its_unit_title_area_year_and_nothing_personal(app, rw):
    rid = approved(app, rw)
    status, html = page(app.test_client(), verify_url(app, rid))
    assert status == 200
    for text in ("城关镇张家中心户", "城关镇东村", "示范县", "2026", "有效", "学法示范户",
                 "示范县普法办公室"):
        assert text in html, text
    for secret in ("张保密", "13912345678", "1391", "5678", rw.leader, rw.admin):
        assert secret not in html, secret


def test_the_url_in_the_plaque_is_the_page_and_the_qr_carries_it(app, rw):
    rid = approved(app, rw)
    plaque = as_user(app, rw.admin).get(f"/recognitions/{rid}/plaque").get_data(as_text=True)
    url = re.search(r'href="(http[^"]*/verify/recognition/[^"]+)"', plaque).group(1)
    assert url.endswith(verify_url(app, rid))


def test_revoked_reads_revoked_with_the_day(app, rw, freeze_clock):
    rid = approved(app, rw)
    as_user(app, rw.admin).post(f"/recognitions/{rid}/revoke", data={"reason": "不再开展活动"})
    status, html = page(app.test_client(), verify_url(app, rid))
    assert status == 200 and "已撤销" in html and "2026-11-27" in html
    assert "不再开展活动" not in html  # the reason stays inside the office


def test_last_years_recognition_reads_expired(app, rw, freeze_clock):
    rid = approved(app, rw)
    freeze_clock(datetime.combine(datetime(2027, 2, 1).date(), time(10), clock.TZ))
    status, html = page(app.test_client(), verify_url(app, rid))
    assert status == 200 and "已过期" in html


@pytest.mark.parametrize("forge", [
    lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),     # an edited signature
    lambda t: "Mg" + t[t.index("."):],                      # another id, the old signature
    lambda t: "nonsense",
    lambda t: "x" * 300,
])
def test_a_forged_or_edited_token_is_a_clear_404(app, rw, forge):
    rid = approved(app, rw)
    with app.test_request_context():
        token = token_for(rid)
        assert recognition_id_from(forge(token)) is None
    status, html = page(app.test_client(), f"/verify/recognition/{forge(token)}")
    assert status == 404 and "未找到该认定" in html
    assert "城关镇张家中心户" not in html


def test_a_token_signed_with_another_key_is_refused(app, rw):
    rid = approved(app, rw)
    from itsdangerous import URLSafeSerializer

    from lawlearn.recognition.signing import SALT

    forged = URLSafeSerializer("not-the-secret", salt=SALT).dumps(rid)
    assert page(app.test_client(), f"/verify/recognition/{forged}")[0] == 404


def test_a_nomination_not_yet_approved_is_not_found(app, rw):
    nominate(as_user(app, rw.leader), rw.household)
    assert page(app.test_client(), verify_url(app, newest(app).id))[0] == 404
    assert page(app.test_client(), verify_url(app, 99999))[0] == 404


def test_the_404_speaks_chinese_by_default(app, rw):
    client = app.test_client()
    response = client.get("/verify/recognition/nonsense", headers={"Accept-Language": "zh-CN"})
    assert response.status_code == 404 and "未找到该认定" in response.get_data(as_text=True)


def test_the_page_is_rate_limited_per_address(database_url, tmp_path):
    with running_app(database_url, tmp_path, RECOGNITION_VERIFY_LIMIT="3 per minute") as app:
        client = app.test_client()
        codes = [client.get("/verify/recognition/nonsense").status_code for _ in range(5)]
    assert codes[:3] == [404, 404, 404] and codes[3:] == [429, 429]
