"""Certificate serials, bands and masked names; the verification page's limits."""

from __future__ import annotations

import pytest

from lawlearn.exams.certificates import band, mask_name, read_serial, serial_for


def test_a_serial_reads_back_and_any_changed_character_is_refused(app):
    with app.app_context():
        serial = serial_for(2026, 42)
        assert read_serial(serial) == (2026, 42)
        for i, char in enumerate(serial):
            if char == "-":
                continue
            swapped = "3" if char != "3" else "4"
            assert read_serial(serial[:i] + swapped + serial[i + 1:]) is None, i
        assert read_serial(serial.lower()) is None
        assert read_serial("2026-42") is None
        assert read_serial("") is None
    other = app.config["SECRET_KEY"]
    app.config["SECRET_KEY"] = other + "-rotated"
    with app.app_context():
        assert read_serial(serial) is None  # a new key: old paper no longer verifies
    app.config["SECRET_KEY"] = other


@pytest.mark.parametrize("score, pass_score, expected", [
    (100, 60, "excellent"), (90, 60, "excellent"), (89.9, 60, "good"), (80, 60, "good"),
    (79, 60, "pass"), (60, 60, "pass"), (59.9, 60, None), (85, 85, "good"), (95, 95, "excellent"),
])
def test_bands(score, pass_score, expected):
    assert band(score, pass_score) == expected


@pytest.mark.parametrize("name, masked", [
    ("张三", "张*"), ("张小三", "张*三"), ("欧阳小明", "欧**明"), ("王", "*"), (" 李 四 ", "李*"),
])
def test_masked_names(name, masked):
    assert mask_name(name) == masked


def test_the_verification_page_is_rate_limited_per_address(app, client):
    from lawlearn.extensions import limiter

    app.config["QUIZ_START_LIMIT"] = "3 per minute"
    with app.app_context():
        limiter.reset()
        serial = serial_for(2026, 1)
    statuses = [client.get(f"/verify/exam/{serial}").status_code for _ in range(4)]
    assert statuses == [404, 404, 404, 429]
    with app.app_context():
        limiter.reset()
