"""What a screen reader hears on every form page: a fresh field is never announced as invalid
(WTForms wrote aria-invalid="None", which Chromium reads as invalid), a field with an error
is, and hints and errors are tied to their field by aria-describedby.

Pages come from the app's url_map (as the fuzz tests find them), opened by every role, so a
form added later is checked without being listed here."""

from __future__ import annotations

import re

from tests.fuzz.routes import argument_values, build, fuzzed_rules, path_arguments

CONTROL = re.compile(r"<(?:input|select|textarea)\b[^>]*>")
# Forms that refuse an empty post with field errors and write nothing (an edit form would
# fall back on the object's own values and save them unchanged).
EMPTY_POSTS = ["accounts.create", "areas.create", "auth.change_password",
               "auth.login", "quiz_public.start", "reports.target_list", "checkin.checkin",
               "sessions.new", "units.register"]


def attribute(tag: str, name: str) -> str | None:
    found = re.search(rf'\s{name}="([^"]*)"', tag)
    return found.group(1) if found else None


def aria_problems(page: str, where: str) -> list[str]:
    problems = []
    ids = set(re.findall(r'\sid="([^"]+)"', page))
    described = set()
    for tag in CONTROL.findall(page):
        invalid = attribute(tag, "aria-invalid")
        if invalid is not None and invalid != "true":
            problems.append(f"{where}: aria-invalid={invalid!r} in {tag}")
        for ref in (attribute(tag, "aria-describedby") or "").split():
            described.add(ref)
            if ref not in ids:
                problems.append(f"{where}: aria-describedby names a missing {ref!r} in {tag}")
        if invalid == "true" and not (attribute(tag, "aria-describedby") or "").count("-error"):
            problems.append(f"{where}: an invalid field without its error described: {tag}")
    for hint in re.findall(r'<p class="hint" id="([^"]+)"', page):
        if hint not in described:
            problems.append(f"{where}: hint {hint!r} is not tied to its field")
    return problems


def url_of(rule, ids) -> str:
    return build(rule, {a: argument_values(rule, a, ids)[0] for a in path_arguments(rule)})


def test_no_fresh_form_field_is_announced_as_invalid_and_hints_are_tied_to_fields(app, world):
    problems, pages = [], set()
    rules = [r for r in fuzzed_rules(app) if "GET" in r.methods]
    for role, client in world.clients.items():
        for rule in rules:
            url = url_of(rule, world.ids)
            response = client.get(url)
            html = response.status_code == 200 and "html" in (response.mimetype or "")
            page = response.get_data(as_text=True) if html else ""
            response.close()
            if "<form" not in page:
                continue
            pages.add(rule.endpoint)
            problems += aria_problems(page, f"GET {url} as {role}")
            problems += [f"GET {url} as {role}: a fresh form marks a field invalid"
                         for _ in re.findall(r'aria-invalid="true"', page)]
    assert not problems, "\n".join(problems)
    assert {"areas.create", "units.register", "accounts.create", "sessions.new",
            "auth.change_password", "quiz_public.start", "checkin.checkin"} <= pages


def test_a_field_with_an_error_is_announced_as_invalid_with_its_message(app, world):
    problems = []
    rules = {r.endpoint: r for r in fuzzed_rules(app)}
    for endpoint in EMPTY_POSTS:
        role = {"auth.login": "anonymous", "quiz_public.start": "anonymous",
                "checkin.checkin": "anonymous"}.get(endpoint, "admin")
        url = url_of(rules[endpoint], world.ids)
        response = world.clients[role].post(url, data={})
        page = response.get_data(as_text=True)
        assert response.status_code in (200, 400), (endpoint, response.status_code)
        where = f"POST {url} as {role}"
        invalid = [t for t in CONTROL.findall(page) if attribute(t, "aria-invalid") == "true"]
        if not invalid:
            problems.append(f"{where}: no field announced as invalid")
        problems += aria_problems(page, where)
    assert not problems, "\n".join(problems)
