"""State changes of recognitions. Each checks the step is the next one for the recognition's
status, writes who/when/why, and records an audit event; none commits (the view does, once).

Who may take a step is `may` (the views answer 403 otherwise; scope has already answered 404
for what the user may not see). A step the role may take but the status does not allow
(approving twice, reviewing a rejected nomination) raises RecognitionError.

Nominations come from below: a unit's leader nominates their own unit and the town's
coordinator reviews it; a nomination made by the town's coordinator (or the county office) is
the town's own judgement and goes to the county at once, as reviewed by the town.
"""

from __future__ import annotations

import sqlalchemy as sa

from lawlearn import clock
from lawlearn.audit import actor_id, record
from lawlearn.extensions import db
from lawlearn.i18n import gettext as _
from lawlearn.models import Recognition, StudyUnit
from lawlearn.models.recognition import LIVE_STATUSES

MAX_TEXT = 1000
ACTIONS = ("forward", "reject", "approve", "revoke", "renew")
ROLE_ACTIONS = {
    "admin": {"nominate", *ACTIONS},
    "coordinator": {"nominate", "forward", "reject"},
    "leader": {"nominate"},
}


class RecognitionError(ValueError):
    pass


def _role(actor) -> str:
    return getattr(getattr(actor, "user", actor), "role", "")


def may(action: str, actor) -> bool:
    return action in ROLE_ACTIONS.get(_role(actor), set())


def next_steps(recognition: Recognition, actor) -> list[str]:
    """The steps `actor` may take on `recognition` now: the buttons its page offers."""
    status, role = recognition.status, _role(actor)
    steps = {"nominated": ["forward", "reject"], "town_reviewed": ["approve", "reject"],
             "approved": ["renew", "revoke"]}.get(status, [])
    if role == "coordinator" and status == "town_reviewed":
        return []
    return [s for s in steps if may(s, actor)]


def _text(value: str | None, message: str, required: bool = True) -> str | None:
    value = (value or "").strip()
    if not value:
        if required:
            raise RecognitionError(message)
        return None
    if len(value) > MAX_TEXT:
        raise RecognitionError(_("Write at most %(n)d characters.", n=MAX_TEXT))
    return value


def live_for(unit_id: int, year: int) -> Recognition | None:
    return db.session.scalar(sa.select(Recognition).where(
        Recognition.unit_id == unit_id, Recognition.year == year,
        Recognition.status.in_(LIVE_STATUSES)).limit(1))


def _check_free(unit: StudyUnit, year: int) -> None:
    # Two nominations of one unit at the same moment (a double tap) must not both pass the
    # check: the unit's row is locked until this transaction ends (PostgreSQL; SQLite runs
    # one writer at a time anyway). No unique index can say it, as a rejected nomination frees
    # the year again.
    db.session.execute(sa.select(StudyUnit.id).where(StudyUnit.id == unit.id)
                       .with_for_update())
    if not unit.active:
        raise RecognitionError(_("The unit is retired: only a registered unit can be "
                                 "recognised."))
    if live_for(unit.id, year) is not None:
        raise RecognitionError(_("%(unit)s already has a recognition for %(year)s, nominated "
                                 "or approved.", unit=unit.name, year=year))


def nominate(unit: StudyUnit, year: int, statement: str | None, *, actor) -> Recognition:
    _check_free(unit, year)
    statement = _text(statement, _("Say why the unit deserves the recognition."))
    now, who = clock.utcnow(), actor_id(actor)
    recognition = Recognition(unit=unit, year=year, statement=statement, status="nominated",
                              nominated_at=now, nominated_by_id=who)
    if _role(actor) in ("coordinator", "admin"):
        recognition.status = "town_reviewed"
        recognition.town_reviewed_at, recognition.town_reviewed_by_id = now, who
    db.session.add(recognition)
    db.session.flush()
    record(actor, "nominate_recognition", recognition,
           changes={"year": year, "status": recognition.status})
    return recognition


def _expect(recognition: Recognition, *statuses: str) -> None:
    if recognition.status not in statuses:
        raise RecognitionError(_("This recognition is %(status)s: that step is not open "
                                 "to it.", status=_status_label(recognition.status)))


def _status_label(status: str) -> str:
    from lawlearn.recognition.words import STATUSES

    return STATUSES.label(status)


def forward(recognition: Recognition, note: str | None, *, actor) -> None:
    _expect(recognition, "nominated")
    recognition.town_note = _text(note, "", required=False)
    recognition.status = "town_reviewed"
    recognition.town_reviewed_at, recognition.town_reviewed_by_id = clock.utcnow(), actor_id(actor)
    record(actor, "forward_recognition", recognition,
           changes={"status": ["nominated", "town_reviewed"]})


def reject(recognition: Recognition, reason: str | None, *, actor) -> None:
    _expect(recognition, "nominated", "town_reviewed")
    if recognition.status == "town_reviewed" and _role(actor) != "admin":
        raise RecognitionError(_("The town has forwarded it: only the county office may "
                                 "reject it now."))
    reason = _text(reason, _("Give the reason for rejecting it."))
    stage = "town" if recognition.status == "nominated" else "county"
    before = recognition.status
    recognition.status, recognition.reject_stage, recognition.reject_reason = \
        "rejected", stage, reason
    recognition.rejected_at, recognition.rejected_by_id = clock.utcnow(), actor_id(actor)
    record(actor, "reject_recognition", recognition,
           changes={"status": [before, "rejected"], "reason": reason})


def _approve(recognition: Recognition, actor) -> None:
    recognition.status = "approved"
    recognition.approved_at, recognition.approved_by_id = clock.utcnow(), actor_id(actor)
    recognition.approved_on = clock.today()


def approve(recognition: Recognition, *, actor) -> None:
    _expect(recognition, "town_reviewed")
    _approve(recognition, actor)
    record(actor, "approve_recognition", recognition,
           changes={"status": ["town_reviewed", "approved"], "year": recognition.year})


def revoke(recognition: Recognition, reason: str | None, *, actor) -> None:
    _expect(recognition, "approved")
    reason = _text(reason, _("Give the reason for revoking it."))
    recognition.status, recognition.revoke_reason = "revoked", reason
    recognition.revoked_at, recognition.revoked_by_id = clock.utcnow(), actor_id(actor)
    recognition.revoked_on = clock.today()
    record(actor, "revoke_recognition", recognition,
           changes={"status": ["approved", "revoked"], "reason": reason})


def renew(recognition: Recognition, note: str | None, *, actor) -> Recognition:
    """The yearly review's renewal: the next year's recognition, approved at once and linked
    to this one (its plaque is a new one, for the new year)."""
    _expect(recognition, "approved")
    unit, year = recognition.unit, recognition.year + 1
    _check_free(unit, year)
    now, who = clock.utcnow(), actor_id(actor)
    renewed = Recognition(unit=unit, year=year, previous=recognition,
                          statement=_text(note, "", required=False),
                          nominated_at=now, nominated_by_id=who,
                          town_reviewed_at=now, town_reviewed_by_id=who)
    _approve(renewed, actor)
    db.session.add(renewed)
    db.session.flush()
    record(actor, "renew_recognition", renewed,
           changes={"year": year, "previous": recognition.id, "status": "approved"})
    return renewed
