"""The sign-in record of each study session in a binder, as a standalone HTML page.

A 4,000-unit town has some 12,000 of these per quarter, so the words are looked up once per
binder (SheetWords) and the template does no translation of its own: asking Flask-Babel for
each heading and status of each page cost more than everything else in the build together."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from markupsafe import Markup

from lawlearn import codes
from lawlearn.i18n import gettext as _


@dataclass
class SheetWords:
    headings: dict
    statuses: dict
    methods: dict
    formats: dict
    topics: dict

    @classmethod
    def now(cls) -> SheetWords:
        """In the language of the moment (the job's, under force_locale)."""
        return cls(
            headings={"title": _("Sign-in sheet"), "unit": _("Study unit"), "area": _("Area"),
                      "date": _("Date"), "format": _("Session format"), "topics": _("Topics"),
                      "lecturer": _("Lecturer"), "code": _("Session code"),
                      "leader": _("Leader"), "attended": _("Attended"), "no": _("No."),
                      "name": _("Full name"), "mobile": _("Mobile number"),
                      "status": _("Status"), "method": _("Recorded by"),
                      "none": _("No attendance was recorded for this session.")},
            statuses={c: codes.ATTENDANCE_STATUSES.label(c)
                      for c in codes.ATTENDANCE_STATUSES.codes},
            methods={"roster": _("Roster"), "walk_in": _("Walk-in"), "qr": _("QR check-in"),
                     "import": _("Import"), "paper": _("Paper")},
            formats={c: codes.SESSION_FORMATS.label(c) for c in codes.SESSION_FORMATS.codes},
            topics={c: codes.TOPICS.label(c) for c in codes.TOPICS.codes})


class SheetWriter:
    """Renders sheets with one compiled template and one set of words."""

    def __init__(self):
        self.words = SheetWords.now()
        env = current_app.jinja_env
        self.template = env.get_template("binders/sheet_file.html")
        self.style = Markup(env.get_template("binders/_file_style.html").render())
        self.lang = "en" if self.words.headings["title"] == "Sign-in sheet" else "zh-CN"

    def render(self, session, topics: list[str], rows: list) -> str:
        return self.template.render(session=session, topics=topics, rows=rows, w=self.words,
                                    h=self.words.headings, lang=self.lang, style=self.style)
