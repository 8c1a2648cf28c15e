"""What each kind of audit event is called on the page and in the export."""

from __future__ import annotations

from lawlearn.i18n import lazy_gettext as _l

ACTIONS = {
    "login": _l("Logged in"),
    "login_failed": _l("Failed login"),
    "change_password": _l("Changed own password"),
    "reset_password": _l("Reset a password"),
    "create": _l("Created"),
    "update": _l("Changed"),
    "delete": _l("Deleted"),
    "retire": _l("Retired"),
    "reactivate": _l("Reactivated"),
    "disable": _l("Disabled an account"),
    "enable": _l("Enabled an account"),
    "add_member": _l("Added to a roster"),
    "remove_member": _l("Removed from a roster"),
    "add_photo": _l("Added a photo"),
    "remove_photo": _l("Removed a photo"),
    "mark_attendance": _l("Marked attendance"),
    "check_in": _l("Checked in (QR code)"),
    "import": _l("Imported a file"),
    "import_attendance": _l("Attendance from an import"),
    "paper_result": _l("Paper quiz result"),
    "export": _l("Exported a report"),
    "request_binder": _l("Asked for an evidence binder"),
    "self-assess": _l("Self-assessed"),
    "accept": _l("Accepted"),
    "adjust": _l("Adjusted"),
    "publish": _l("Published"),
    "add_evidence": _l("Added evidence"),
    "remove_evidence": _l("Removed evidence"),
    "republish": _l("Published again"),
    "open_rectification": _l("Rectification opened"),
    "set_due": _l("Changed the due date"),
    "submit_rectification": _l("Submitted a rectification report"),
    "return_rectification": _l("Returned a rectification report"),
    "accept_rectification": _l("Accepted a rectification"),
    "link_session": _l("Linked a study session as evidence"),
    "unlink_session": _l("Unlinked a study session"),
    "add_stop": _l("Added a stop of an activity"),
    "update_stop": _l("Changed a stop of an activity"),
    "add_visiting_unit": _l("Added a visiting unit"),
    "add_cohort_member": _l("Added to a cohort"),
    "add_lecturer": _l("Added a lecturer to the pool"),
    "nominate_recognition": _l("Nominated for recognition"),
    "forward_recognition": _l("Forwarded a nomination to the county"),
    "reject_recognition": _l("Rejected a nomination"),
    "approve_recognition": _l("Approved a recognition"),
    "revoke_recognition": _l("Revoked a recognition"),
    "renew_recognition": _l("Renewed a recognition"),
    "approve_session": _l("Approved a session"),
    "return_session": _l("Returned a session to its leader"),
    "resubmit_session": _l("Resubmitted a returned session"),
}

OBJECTS = {
    "users": _l("Account"),
    "areas": _l("Area"),
    "study_units": _l("Study unit"),
    "study_sessions": _l("Session"),
    "targets": _l("Target"),
    "assessment_schemes": _l("Assessment scheme"),
    "assessment_entries": _l("Assessment entry"),
    "assessment_publications": _l("Published assessment"),
    "assessment_rectifications": _l("Rectification"),
    "recognitions": _l("Recognition"),
    "quizzes": _l("Quiz"),
    "county_activities": _l("County-wide activity"),
    "lecturers": _l("Lecturer"),
    "import": _l("Import file"),
    "report": _l("Report"),
    "binder_jobs": _l("Evidence binder"),
    "audit": _l("Audit log"),
}


def action_choices() -> list[tuple[str, str]]:
    return list(ACTIONS.items())


def action_label(action: str) -> str:
    return str(ACTIONS.get(action, action))


def object_label(object_type: str) -> str:
    return str(OBJECTS.get(object_type, object_type))
