"""A county whose budgets were worked out by hand.

Standard 2026 of 示范县: 500.00 per study household, 800.00 per enterprise study group, 300.00
per building-captain group; floors 1,000.00 per village or community, 3,000.00 per town.

城关镇: 东村 has three households (plus one retired and one registered only in 2027, neither
counted): 3 × 500 = 1,500 (above the floor); 幸福社区 one building group: 300 → the floor
1,000; 机械厂 two enterprise groups: 1,600 (no floor for an enterprise). Sum 4,100, above the
town floor: planned 4,100.00.
青山镇: 东村 and 幸福社区 have no units → 1,000 each; 机械厂 one group → 800. Sum 2,800, below
the town floor: planned 3,000.00.

Money of 城关镇 in 2026: allocated 6,000 + 4,000 = 10,000.00; paid 1,200.50 (a study session),
800.00 (activity 民法典宣传月), 500.00 (no activity): disbursed 2,500.50, spent on activities
2,000.50, execution rate 0.25005. 青山镇: nothing allocated (rate none; the assessment reads 0).
"""

from __future__ import annotations

import io
from datetime import date, datetime, time

import pytest

from lawlearn import clock
from lawlearn.extensions import db
from lawlearn.models import Area, StudyUnit
from tests.integration.helpers import EN
from tests.sessions.conftest import image_bytes

STANDARD = {"household": "500", "enterprise_group": "800.00", "building": "300",
            "village_floor": "1,000", "town_floor": "3000"}


def pdf() -> tuple[io.BytesIO, str]:
    return io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "发票.pdf"


def photo_with_gps() -> bytes:
    """A JPEG carrying EXIF (a GPS tag): what a phone photo of a receipt looks like."""
    from PIL import Image

    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (30.0, 15.0, 0.0)}
    exif[0x010F] = "PhoneMaker"
    return image_bytes("JPEG", exif=exif)


@pytest.fixture
def budget_county(app, county, make_unit, make_user, freeze_clock):
    freeze_clock(datetime.combine(date(2026, 11, 20), time(10), clock.TZ))
    cg, qs = county["城关镇"], county["青山镇"]
    jan = date(2026, 1, 5)
    units = {f"H{i}": make_unit(cg["village"], registered_on=jan) for i in range(1, 4)}
    units["Hold"] = make_unit(cg["village"], registered_on=jan)
    units["Hlate"] = make_unit(cg["village"], registered_on=date(2027, 1, 2))
    units["B1"] = make_unit(cg["community"], registered_on=jan)
    units["E1"] = make_unit(cg["enterprise"], registered_on=jan)
    units["E2"] = make_unit(cg["enterprise"], registered_on=jan)
    units["E3"] = make_unit(qs["enterprise"], registered_on=jan)
    with app.app_context():
        db.session.get(StudyUnit, units["Hold"].id).status = "retired"
        db.session.commit()
    return {"county": county["county"], "cg": cg["town"], "qs": qs["town"], "units": units,
            "cg_village": cg["village"],
            "admin": make_user("admin", area=county["county"]),
            "cg_coord": make_user("coordinator", area=cg["town"]),
            "qs_coord": make_user("coordinator", area=qs["town"]),
            "leader": make_user("leader", units=[units["H1"]])}


def set_standard(client, county: Area, year: int = 2026, **changes):
    return client.post(f"/budgets/standards/{county.id}/{year}", data={**STANDARD, **changes},
                       headers=EN)


def allocate(client, town: Area, amount: str, on: str = "2026-03-01", year: int = 2026,
             note: str = "县财政拨付"):
    return client.post(f"/budgets/towns/{town.id}/{year}/allocations", headers=EN, data={
        "allocation-amount": amount, "allocation-allocated_on": on, "allocation-note": note})


def disburse(client, town: Area, amount: str, *, year: int = 2026, on: str = "2026-04-10",
             payee: str = "县印刷厂", purpose: str = "宣传册印制", activity: str = "",
             session: int = 0, voucher=None):
    stream, name = voucher or pdf()
    return client.post(f"/budgets/towns/{town.id}/{year}/disbursements",
                       content_type="multipart/form-data", headers=EN, data={
                           "payment-paid_on": on, "payment-amount": amount,
                           "payment-payee": payee, "payment-purpose": purpose,
                           "payment-activity": activity, "payment-study_session": str(session),
                           "payment-voucher": (stream, name)})
