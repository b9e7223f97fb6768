"""The answer box's language, the grading rule, and every mistake the tutor can name."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bptui import steps
from bptui.answers import grade
from bptui.expr import ExprError, calculate


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0.98", 0.98),
        ("3/4", 0.75),
        ("0.98*(1-0.98)", 0.0196),
        ("2*0.98-0.12", 1.84),
        ("2·0.98 − 0.12", 1.84),
        ("−0.38", -0.38),
        ("０．９８", 0.98),
        ("０,５", 0.5),
        ("0,98", 0.98),
        ("1e-3", 0.001),
        ("-2^2", -4),
        ("2^-1", 0.5),
        ("(0.62 − 1)²", 0.1444),
        ("0.9⁸", 0.9**8),  # a superscript is a power, never a digit
        ("0⁴", 0),
        ("10⁻²", 0.01),
        ("0.98(1-0.98)", 0.0196),  # a number before a parenthesis multiplies it
        ("(1+2)(3)", 9),
        ("e", 2.718281828459045),
        ("e^-1.5", 0.22313016014842982),
        ("½((0.62−1)²+0.83²)", 0.5 * ((0.62 - 1) ** 2 + 0.83**2)),  # as the card writes it
        ("0.5[(0.62-1)^2+(0.83-0)^2]", 0.5 * ((0.62 - 1) ** 2 + 0.83**2)),
        ("-ln 0.32", 1.1394342831883648),
        ("ln 2^2", 1.3862943611198906),
        ("2 × 3 ÷ 4", 1.5),
        ("exp(0)", 1),
        ("sigmoid(0)", 0.5),
        ("σ(0)", 0.5),
        ("  4  ", 4),
    ],
)
def test_answers_that_parse(text, value):
    assert calculate(text) == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "type a number"),
        ("abc", "unknown name"),
        ("1/0", "division by zero"),
        ("(1+2", "not closed"),
        ("1 +", "incomplete"),
        ("9^9^9", "exponent too large"),
        ("10^999", "too large"),
        ("1e999", "too large"),
        ("x" * 500, "too long"),
        ("(" * 100 + "1" + ")" * 99, "nested too deeply"),
        ("__import__('os')", "cannot read"),
        ("2 3", "unexpected"),
        ("log(-1)", "not defined"),
        ("(-8)^(1/3)", "not a real number"),
        ("foo(1)", "unknown function"),
    ],
)
def test_nonsense_is_answered_with_a_short_message(text, message):
    with pytest.raises(ExprError, match=message):
        calculate(text)


@settings(max_examples=300, deadline=200)
@given(st.text(alphabet="0123456789.,+-*/^()e σexp ", max_size=60))
def test_no_input_crashes_or_hangs_the_parser(text):
    with contextlib.suppress(ExprError):
        calculate(text)


@pytest.fixture
def lecture_steps(lecture):
    return {s.id: s for s in steps.build(lecture)}


def test_every_step_accepts_its_shown_and_exact_value(lecture_steps):
    for step in lecture_steps.values():
        assert grade(step, step.shown).correct, step.id
        assert grade(step, repr(step.value)).correct, step.id
        assert grade(step, step.value).correct, step.id


def test_right_when_worked_from_the_rounded_numbers_on_screen(lecture_steps):
    z5 = lecture_steps["s1.forward.L3.n1.z"]
    assert z5.shown == "0.48"
    assert grade(z5, "3*0.86 - 0.11 - 2").correct  # 0.47 from the numbers shown
    assert grade(z5, "0.475").correct  # rounds to 0.48
    assert not grade(z5, "0.46").correct


def test_answers_round_at_the_lesson_precision(lecture_steps):
    a1 = lecture_steps["s1.forward.L1.n1.a"]  # 0.98201...
    assert grade(a1, "0.98").correct and grade(a1, "0.982").correct
    assert not grade(a1, "0.97").correct and not grade(a1, "0.99").correct
    tiny = lecture_steps["s1.backward.L1.n2.dl_dz"]  # −0.000987: two significant digits
    assert tiny.shown == "−0.00099" and tiny.places == 5 and tiny.precision == "small"
    assert grade(tiny, "-0.00099").correct and not grade(tiny, "0").correct


def test_other_mistakes_in_the_backward_pass(lecture_steps):
    # σ'(z) left out of a hidden op-amp: the weighted sum given as ∂l/∂z.
    assert grade(lecture_steps["s1.backward.L2.n1.dl_dz"], "-0.39").mistake == "gain_left_out"
    # a term of the op-amp's weighted sum missing.
    assert grade(lecture_steps["s1.backward.L2.n1.sum"], "3*(-0.09)").mistake == "term_missing"


def test_a_plain_wrong_answer_is_not_named(lecture_steps):
    verdict = grade(lecture_steps["s1.forward.L1.n1.z"], "17")
    assert not verdict.correct and verdict.mistake is None


def test_an_unparseable_answer_is_invalid_not_wrong(lecture_steps):
    verdict = grade(lecture_steps["s1.forward.L1.n1.z"], "four")
    assert verdict.invalid and not verdict.correct and "unknown name" in verdict.error
