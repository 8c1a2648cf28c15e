"""How large a request body may be: MAX_CONTENT_LENGTH (40 MB) everywhere, except the study
session form, which may carry MAX_PHOTOS photos of up to photos.MAX_MB each straight from a
phone (PHOTO_REQUEST_MAX_MB, 128 MB), and only for a signed-in user, so nobody without an
account can make the server read a body that large.

A request class rather than a before_request hook: CSRFProtect reads the form in the app's
first before_request, before any blueprint's hook could raise the limit.
"""

from __future__ import annotations

from flask import Request, current_app

PHOTO_ENDPOINTS = frozenset({"sessions.new", "sessions.edit"})


class LawlearnRequest(Request):
    @property
    def max_content_length(self) -> int | None:
        if self._max_content_length is None and self.endpoint in PHOTO_ENDPOINTS and current_app:
            from flask_login import current_user

            if current_user.is_authenticated:
                return current_app.config["PHOTO_REQUEST_MAX_MB"] * 1024 * 1024
        return super().max_content_length

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value  # a view may still set its own, as Flask allows
