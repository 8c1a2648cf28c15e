"""Review of study sessions (审核): a leader's session is submitted; its town's coordinator (or
the office) approves it or returns it with a reason; the leader fixes a returned session and
it is submitted again. Callers commit.

Each change is an ORM write on the study session, so the report ledger follows it by itself
(lawlearn.ledger.changes notes a changed study session with its unit, month and attendees):
the "approved only" figures move in the same transaction. A period lock at the ledger's
commit hook therefore refuses a state change dated in a locked month, as intended.
"""

from __future__ import annotations

from lawlearn.audit import record
from lawlearn.models.base import utcnow
from lawlearn.models.sessions import APPROVED, RETURNED, SUBMITTED, StudySession

REASON_MAX = 500


class ReviewRefused(Exception):
    """A state change that does not apply to the session as it is now (already approved, not
    waiting …): the message says why, in the user's language."""


def _user(actor):
    return getattr(actor, "user", actor)


def is_leader(actor) -> bool:
    return getattr(_user(actor), "role", None) == "leader"


def may_review(actor) -> bool:
    """Coordinators (in their town: the caller loads the session through the user's scope)
    and the office. Leaders never review, not even their own."""
    return getattr(_user(actor), "role", None) in ("admin", "coordinator")


def initial_state(actor) -> str:
    """A leader's new session waits for review; everyone else's counts at once (the web form,
    imports, the command line and demo data have no leader behind them)."""
    return SUBMITTED if is_leader(actor) else APPROVED


def approve_study_session(session: StudySession, *, actor) -> None:
    from lawlearn.i18n import gettext as _

    if session.review_state == APPROVED:
        raise ReviewRefused(_("Session %(code)s is already approved.", code=session.code))
    # A returned session may be approved too: the reviewer changed their mind, or fixed it
    # themselves; the reason is cleared (the audit trail keeps it).
    before = session.review_state
    _decide(session, APPROVED, actor, reason=None)
    record(actor, "approve_session", session, changes={"review_state": [before, APPROVED]})


def return_study_session(session: StudySession, reason: str, *, actor) -> None:
    from lawlearn.i18n import gettext as _

    reason = (reason or "").strip()
    if not reason:
        raise ReviewRefused(_("Say why the session is returned: the leader needs to know "
                              "what to fix."))
    if session.review_state != SUBMITTED:
        raise ReviewRefused(_("Session %(code)s is not waiting for review.", code=session.code))
    _decide(session, RETURNED, actor, reason=reason[:REASON_MAX])
    record(actor, "return_session", session, changes={"review_state": [SUBMITTED, RETURNED],
                                              "reason": session.return_reason})


def resubmit_study_session(session: StudySession, *, actor) -> bool:
    """A returned session the leader has edited goes back to the queue; the reason stays on
    record in the audit trail. Returns whether it was resubmitted."""
    if session.review_state != RETURNED:
        return False
    old_reason = session.return_reason
    session.review_state = SUBMITTED
    session.return_reason = None
    record(actor, "resubmit_session", session, changes={"review_state": [RETURNED, SUBMITTED],
                                                "reason": old_reason})
    return True


def reopen_after_leader_change(session: StudySession, *, actor) -> bool:
    """A leader's change to a session already approved (its date, topics, photos or
    attendance) has not been checked by anyone: the session goes back to the town's queue, so
    the approved-only figures move only once the change is reviewed. Staff changes stay
    approved: staff are the reviewers. Returns whether it went back."""
    if not is_leader(actor) or session.review_state != APPROVED:
        return False
    session.review_state = SUBMITTED
    record(actor, "resubmit_session", session, changes={"review_state": [APPROVED, SUBMITTED]})
    return True


def approve_many(sessions: list[StudySession], *, actor) -> int:
    """Approve the waiting ones among `sessions` (a week's, ticked on the queue page); the
    others (approved or returned by someone else meanwhile) are left as they are. Returns
    how many were approved."""
    approved = 0
    for session in sessions:
        if session.review_state != SUBMITTED:
            continue
        _decide(session, APPROVED, actor, reason=None)
        record(actor, "approve_session", session, changes={"review_state": [SUBMITTED, APPROVED]})
        approved += 1
    return approved


def _decide(session: StudySession, state: str, actor, *, reason: str | None) -> None:
    session.review_state = state
    session.return_reason = reason
    session.reviewed_by_id = getattr(_user(actor), "id", None)
    session.reviewed_at = utcnow()
