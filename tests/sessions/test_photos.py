"""Photo evidence: only real JPEG/PNG/WebP pictures, at most 20 MB and 6 per session, stored
re-encoded without EXIF (no GPS), served only to those who may see the session."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from PIL import Image

from lawlearn.extensions import db
from lawlearn.models import SessionPhoto
from tests.integration.helpers import field_errors
from tests.sessions.conftest import days_ago, image_bytes, text

EN = {"Accept-Language": "en"}


def gps_jpeg() -> bytes:
    """A phone photo: EXIF with a GPS position, a camera serial, rotated by the orientation tag."""
    image = Image.new("RGB", (400, 200), "blue")
    exif = Image.Exif()
    exif[0x0110] = "VillagePhone X1"     # camera model
    exif[0xA431] = "SERIAL-123456"       # body serial number
    exif[0x0112] = 6                     # orientation: rotate 90° to display
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (30.0, 15.0, 12.5)
    gps[3], gps[4] = "E", (120.0, 9.0, 1.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def upload(client, unit_id, files, url=None, **fields):
    """Post the session form with photos. The body is encoded in memory: the test client
    would spool a large one to a temporary file and never close it."""
    from werkzeug.datastructures import FileStorage, MultiDict
    from werkzeug.test import stream_encode_multipart

    data = MultiDict({"held_on": days_ago(0).isoformat(), "format": "lecture",
                      "topics": "civil-code", "duration_minutes": "60", **fields})
    for name, body in files:
        data.add("photo_files", FileStorage(io.BytesIO(body), filename=name))
    stream, length, boundary = stream_encode_multipart(data, use_tempfile=False)
    return client.post(url or f"/units/{unit_id}/sessions/new", input_stream=stream,
                       content_length=length, headers=EN,
                       content_type=f"multipart/form-data; boundary={boundary}")


def fetch(client, url: str):
    """GET a photo; buffered, so the file send_file opened is closed again."""
    return client.get(url, buffered=True)


def photos(app) -> list[SessionPhoto]:
    with app.app_context():
        found = db.session.scalars(sa.select(SessionPhoto).order_by(SessionPhoto.id)).all()
        for p in found:
            db.session.expunge(p)
        return found


def test_a_phone_photo_loses_its_gps_and_is_turned_upright(app, client, world, as_user):
    original = gps_jpeg()
    assert b"SERIAL-123456" in original and Image.open(io.BytesIO(original)).getexif()
    as_user(world.leader)
    assert upload(client, world.mine.id, [("IMG_0001.jpg", original)]).status_code == 302
    [photo] = photos(app)
    served = fetch(client, f"/sessions/{photo.session_id}/photos/{photo.id}")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    image = Image.open(io.BytesIO(served.data))
    assert not image.getexif() and "exif" not in image.info
    assert b"SERIAL-123456" not in served.data and b"VillagePhone" not in served.data
    assert image.size == (200, 400) == (photo.width, photo.height)  # orientation applied
    assert "private" in served.headers["Cache-Control"]
    assert "public" not in served.headers["Cache-Control"]
    thumb = fetch(client, f"/sessions/{photo.session_id}/photos/{photo.id}/thumb")
    assert thumb.status_code == 200
    assert max(Image.open(io.BytesIO(thumb.data)).size) <= 320
    assert not Image.open(io.BytesIO(thumb.data)).getexif()


@pytest.mark.parametrize("fmt, mimetype", [("PNG", "image/png"), ("WEBP", "image/webp"),
                                           ("JPEG", "image/jpeg")])
def test_png_webp_and_jpeg_are_kept_in_their_format(app, client, world, as_user, fmt, mimetype):
    as_user(world.leader)
    body = image_bytes(fmt, size=(3000, 1500))
    assert upload(client, world.mine.id, [(f"photo.{fmt.lower()}", body)]).status_code == 302
    [photo] = photos(app)
    served = fetch(client, f"/sessions/{photo.session_id}/photos/{photo.id}")
    assert served.mimetype == mimetype == photo.content_type
    assert Image.open(io.BytesIO(served.data)).format == fmt
    assert (photo.width, photo.height) == (2000, 1000)  # large pictures are scaled down


@pytest.mark.parametrize("name, body, message", [
    ("animation.gif", image_bytes("GIF"), "not a JPEG, PNG or WebP photo"),
    ("fake.jpg", b"\xff\xd8\xff\xe0 this is not really a jpeg", "not a JPEG, PNG or WebP photo"),
    ("notes.jpg", "会议记录".encode(), "not a JPEG, PNG or WebP photo"),
    ("truncated.png", image_bytes("PNG", size=(300, 300))[:200], "not a JPEG, PNG or WebP photo"),
    ("empty.jpg", b"", "empty"),
    ("huge.jpg", image_bytes("JPEG", size=(3000, 3000), quality=100, subsampling=0)
     + b"\0" * (20 * 1024 * 1024), "at most 20 MB"),
], ids=["gif", "fake-jpeg", "text", "truncated", "empty", "over-20mb"])
def test_what_is_not_a_photo_is_refused_and_nothing_is_written(
        app, client, world, as_user, name, body, message):
    as_user(world.leader)
    response = upload(client, world.mine.id, [(name, body)], lecturer="韩老师")
    assert response.status_code == 400
    page = text(response)
    assert 'id="photo_files-error"' in page and message in page and name in page
    assert "韩老师" in page
    assert photos(app) == []
    photo_dir = app.instance_path + "/photos"
    import os

    assert not os.path.isdir(photo_dir) or os.listdir(photo_dir) == []


def test_a_decompression_bomb_is_refused(app, client, world, as_user):
    """7,000 × 7,000 one-bit pixels: a 50 kB file that would decode into 49 megapixels."""
    bomb = io.BytesIO()
    Image.new("1", (7000, 7000)).save(bomb, "PNG", optimize=True)
    assert len(bomb.getvalue()) < 1024 * 1024
    as_user(world.leader)
    response = upload(client, world.mine.id, [("bomb.png", bomb.getvalue())])
    assert response.status_code == 400
    assert "too many pixels" in text(response)
    assert photos(app) == []


def test_at_most_six_photos_a_session(app, client, world, as_user, make_session):
    as_user(world.leader)
    seven = [(f"p{i}.jpg", image_bytes(colour=(i * 30, 0, 0))) for i in range(7)]
    response = upload(client, world.mine.id, seven)
    assert response.status_code == 400 and "at most 6 photos" in text(response)
    assert upload(client, world.mine.id, seven[:6]).status_code == 302
    sid = photos(app)[0].session_id
    more = upload(client, None, [("seventh.jpg", image_bytes())], url=f"/sessions/{sid}/edit")
    assert more.status_code == 400 and "you can add 0 more" in text(more)
    assert len(photos(app)) == 6


def test_a_photo_can_be_removed_and_its_files_go(app, client, world, as_user):
    import os

    as_user(world.leader)
    upload(client, world.mine.id, [("a.jpg", image_bytes()), ("b.png", image_bytes("PNG"))])
    first, second = photos(app)
    folder = app.instance_path + "/photos"
    assert sorted(os.listdir(folder)) == sorted([first.filename, first.thumbnail,
                                                 second.filename, second.thumbnail])
    response = client.post(f"/sessions/{first.session_id}/photos/{first.id}/remove")
    assert response.status_code == 302
    assert [p.id for p in photos(app)] == [second.id]
    assert sorted(os.listdir(folder)) == sorted([second.filename, second.thumbnail])
    assert client.get(f"/sessions/{first.session_id}/photos/{first.id}").status_code == 404


def test_photos_are_served_only_to_those_who_may_see_the_session(app, client, world, as_user):
    as_user(world.leader)
    upload(client, world.mine.id, [("a.jpg", image_bytes())])
    [photo] = photos(app)
    urls = [f"/sessions/{photo.session_id}/photos/{photo.id}",
            f"/sessions/{photo.session_id}/photos/{photo.id}/thumb"]
    for username in (world.their_coordinator, world.neighbour_leader):
        as_user(username)
        assert [client.get(u).status_code for u in urls] == [404, 404]
    client.post("/logout")
    assert all(client.get(u).status_code == 302 for u in urls)  # to the login page
    as_user(world.coordinator)
    assert [fetch(client, u).status_code for u in urls] == [200, 200]


# --- photos straight from a phone (issue 10, item 19) -----------------------------------------

def phone_photo(seed: int = 0) -> bytes:
    """A 12-megapixel picture of about 9 MB, as a phone takes it (fine detail, high quality)."""
    import random

    rng = random.Random(seed)
    grain = Image.frombytes("L", (1000, 750), rng.randbytes(750_000)).resize((4000, 3000))
    picture = Image.merge("RGB", (grain, grain.transpose(Image.Transpose.FLIP_TOP_BOTTOM),
                                  grain.transpose(Image.Transpose.FLIP_LEFT_RIGHT)))
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=97)
    return out.getvalue()


def test_six_phone_photos_of_9_mb_each_are_taken_and_scaled_down(app, client, world, as_user):
    """55 MB in one form, more than any other upload may be: the session form alone may."""
    files = [(f"IMG_{i:04d}.jpg", phone_photo(i)) for i in range(6)]
    assert all(len(body) > 6 * 1024 * 1024 for _n, body in files)
    assert sum(len(body) for _n, body in files) > app.config["MAX_CONTENT_LENGTH"]
    as_user(world.leader)
    response = upload(client, world.mine.id, files)
    assert response.status_code == 302, text(response)[:300]
    stored = photos(app)
    assert [(p.width, p.height) for p in stored] == [(2000, 1500)] * 6
    served = fetch(client, f"/sessions/{stored[0].session_id}/photos/{stored[0].id}")
    assert len(served.data) < 2 * 1024 * 1024


def test_every_bad_photo_is_named_at_once_and_nothing_is_kept(app, client, world, as_user):
    as_user(world.leader)
    response = upload(client, world.mine.id, [
        ("good.jpg", image_bytes("JPEG")), ("animation.gif", image_bytes("GIF")),
        ("good2.png", image_bytes("PNG")), ("empty.jpg", b"")], lecturer="韩老师")
    assert response.status_code == 400
    page = text(response)
    errors = field_errors(page, "photo_files")
    assert [e.split(":")[0] for e in errors] == ["animation.gif", "empty.jpg"]
    assert "not a JPEG, PNG or WebP photo" in errors[0] and "empty" in errors[1]
    assert photos(app) == []


def test_a_body_over_the_usual_limit_is_refused_to_anyone_not_signed_in(app, client, world):
    body = b"\0" * (app.config["MAX_CONTENT_LENGTH"] + 1024)
    response = upload(client, world.mine.id, [("big.jpg", body)])
    assert response.status_code == 413
