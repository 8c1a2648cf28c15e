"""Every route of the app, read from its url_map, with its URL arguments filled in from the
fuzz world: a new route is fuzzed without anyone listing it here, and a route whose argument
this module cannot fill fails test_every_route_can_be_fuzzed."""

from __future__ import annotations

import re
from pathlib import Path

from werkzeug.routing import Rule

# Routes left out on purpose, and why.
SKIPPED = {
    "static": "files on disk, served by Flask itself",
    "auth.logout": "would sign the fuzzing clients out",
}

# Arguments that mean different things on different routes.
BY_ENDPOINT = {
    ("imports.upload", "kind"): ["areas", "units", "sessions", "attendance", "quiz-results",
                                 "targets", "assessment-entries"],
    ("imports.confirm", "kind"): ["areas", "units", "attendance"],
    ("imports.cancel", "kind"): ["areas", "sessions", "nope"],
    ("imports.template", "kind"): ["areas", "units"],
    ("imports.template", "fmt"): ["csv", "xlsx", "pdf"],
    ("assessment.export", "fmt"): ["csv", "xlsx", "pdf"],
    ("units.register", "kind"): ["household", "building", "enterprise_group", "nope"],
    ("quiz.export", "fmt"): ["yaml", "gift", "xlsx", "doc"],
    ("auth.set_language", "code"): ["en", "zh_Hans", "xx"],
    ("plans.export", "fmt"): ["csv", "xlsx", "pdf"],
    ("returns.month", "area_id"): ["@town_id", "@area_id"],
    ("returns.month", "year"): ["2026", "1999", "2101"],
    ("returns.month", "month"): ["1", "12", "13"],
    ("checkin.checkin", "token"): ["@checkin_token"],
    ("exams.export", "fmt"): ["csv", "xlsx", "pdf"],
    ("exam_public.start", "token"): ["@exam_token", "nope"],
    ("exam_public.continue_as", "token"): ["@exam_token"],
    ("checkin.checked_in", "token"): ["@checkin_token"],
    ("recognition_public.verify", "token"): ["@recognition_token", "Mg.forged"],
}
BY_NAME = {
    "user_id": ["@spare_user_id"],
    "area_id": ["@area_id", "@town_id"],
    "unit_id": ["@unit_id"],
    "session_id": ["@session_id"],
    "person_id": ["@person_id"],
    "member_id": ["@member_id"],
    "target_id": ["@target_id"],
    "photo_id": ["1"],
    "slug": ["@quiz_slug", "civil-code"],
    "token": ["@attempt_token"],
    "year": ["@year", "1999"],
    "item": ["D1", "A1", "V1", "nope"],
    "plan_id": ["@plan_id"],
    "checkoff_id": ["@checkoff_id"],
    "evidence_id": ["1"],
    "link_id": ["1"],
    "allocation_id": ["1"],
    "payment_id": ["1"],
    "activity_id": ["1"],
    "stop_id": ["1"],
    "job_id": ["1"],
    "recognition_id": ["@recognition_id"],
    "exam_id": ["@exam_id"],
    "serial": ["@exam_serial", "2026-1-AAAAAAAAAA"],
    "lock_id": ["1"],
}
# Values any argument may get instead: what an attacker types into the address bar.
HOSTILE_SEGMENTS = ["%00", "0", "99999999999999999999999", "-1", "%EF%BC%91", "%3Cb%3E",
                    "x" * 300, "%E2%80%AE"]


def fuzzed_rules(app) -> list[Rule]:
    return [r for r in app.url_map.iter_rules() if r.endpoint not in SKIPPED]


def argument_values(rule: Rule, arg: str, ids) -> list[str] | None:
    raw = BY_ENDPOINT.get((rule.endpoint, arg)) or BY_NAME.get(arg)
    if raw is None:
        return None
    return [str(getattr(ids, v[1:])) if v.startswith("@") else v for v in raw]


def path_arguments(rule: Rule) -> list[str]:
    """The arguments the URL itself carries (not the ones a rule's defaults fill)."""
    return sorted(set(rule.arguments) - set(rule.defaults or {}))


def build(rule: Rule, values: dict[str, str]) -> str:
    """The rule's path with `values` put in raw (no converter checks: hostile values must
    reach the URL as typed)."""
    path = rule.rule
    for arg, value in values.items():
        path = re.sub(rf"<(?:[^:<>]+:)?{arg}>", value, path)
    return path


def query_parameter_names() -> list[str]:
    """Every query parameter the code reads (request.args.get("x"), args.get("x")), plus the
    pagination ones Flask-SQLAlchemy reads, plus the names of GET forms' fields: read from the
    source, so a new parameter is fuzzed without being listed."""
    root = Path(__file__).resolve().parents[2]
    names = {"page", "per_page"}
    for source in (root / "lawlearn").rglob("*.py"):
        names |= set(re.findall(r"""args(?:\.get|\.getlist)?\(\s*["']([\w-]+)["']""",
                                source.read_text(encoding="utf-8")))
        names |= set(re.findall(r"""args\[["']([\w-]+)["']\]""",
                                source.read_text(encoding="utf-8")))
    for template in (root / "templates").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        for form in re.findall(r'<form[^>]*method="get"[^>]*>(.*?)</form>', text, re.S):
            names |= set(re.findall(r'name="([\w-]+)"', form))
    return sorted(names)
