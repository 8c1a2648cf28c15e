"""The attempt form's class is built once per layout of questions; what differs between
attempts (the options drawn, the language of True/False) stays each attempt's own."""

from __future__ import annotations

from types import SimpleNamespace

from werkzeug.datastructures import MultiDict

from lawlearn.quiz.forms import attempt_form


def item(position: int, kind: str, options=()) -> SimpleNamespace:
    return SimpleNamespace(position=position, kind=kind, options=list(options))


def test_two_attempts_of_one_layout_share_a_class_but_not_their_choices(app):
    first = [item(1, "single", ["甲", "乙"]), item(2, "true_false")]
    second = [item(1, "single", ["丙", "丁", "戊"]), item(2, "true_false")]
    with app.test_request_context():
        a = attempt_form(first, "对", "错", meta={"csrf": False})
        b = attempt_form(second, "True", "False", meta={"csrf": False})
        assert type(a) is type(b)
        assert [str(x) for x in a.q1] != [str(x) for x in b.q1]
        assert "甲" in str(a.q1) and "戊" in str(b.q1) and "戊" not in str(a.q1)
        assert "对" in str(a.q2) and "True" in str(b.q2)
        other = attempt_form([item(1, "multiple", ["甲", "乙"])], "对", "错")
        assert type(other) is not type(a)


def test_an_answer_outside_the_drawn_options_is_refused(app):
    with app.test_request_context():
        form = attempt_form([item(1, "single", ["甲", "乙"]), item(2, "multiple", ["甲", "乙"])],
                            "对", "错", formdata=MultiDict([("q1", "C"), ("q2", "B")]))
        assert not form.validate()
        assert "q1" in form.errors and "q2" not in form.errors
        form = attempt_form([item(1, "single", ["甲", "乙", "丙"])], "对", "错",
                            formdata=MultiDict([("q1", "C")]))
        assert form.validate() and form.responses() == {1: "C"}
