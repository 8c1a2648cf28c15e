"""A hand-made multipart request whose part has no readable name is refused with a message,
not a server error (WTForms' row lists assume every name is text)."""

from __future__ import annotations


def test_a_form_part_without_a_name_is_a_400_with_a_message(office, app):
    body = (b"--B\r\nContent-Disposition: form-data\r\n\r\nvalue\r\n"
            b"--B\r\nContent-Disposition: form-data; name=\"quiz\"\r\n\r\ncivil-code\r\n--B--\r\n")
    response = office.post("/quizzes/sessions/1/scores", data=body,
                           content_type="multipart/form-data; boundary=B",
                           headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert "no readable name" in response.get_data(as_text=True)
