"""Judging like a teacher: the precision policy, the bug library, error carried forward.

Properties over every shipped lesson, the practice lessons of seeds 1–50 and generated networks:
every step accepts its value rounded as its card says, and no step accepts a known mistake's value
(gradient ascent and the unchanged weight among them). Then the mistakes as a table and a corpus of
realistic wrong answers, each of which must be named as a teacher would name it.
"""

from __future__ import annotations

import math
import random
import tomllib
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from bptui import mistakes, steps
from bptui.answers import grade, typed_places
from bptui.glossary import MISTAKES, MISTAKES_ZH
from bptui.lesson import load, parse, shipped_lessons
from bptui.notation import agrees, rounded, same_at, shown_at
from bptui.practice import generate

from .test_engine import lessons

CORPUS = tomllib.loads(
    (Path(__file__).parent / "data" / "mistakes.toml").read_text(encoding="utf-8")
)["case"]


@cache
def lesson_steps(name: str) -> dict:
    return {s.id: s for s in steps.build(load(name))}


def practice_lesson(seed: int):
    shape = random.Random(seed).choice([(2, 2, 1), (2, 3, 2), (3, 2, 2), (2, 2, 2, 1), (1, 2, 1)])
    activation = ("sigmoid", "tanh", "relu", "linear")[seed % 4]
    loss = "cross_entropy" if seed % 5 == 0 else "squared_error"
    return parse(generate(shape, activation, loss, seed), source=f"<practice {seed}>")


def every_lesson():
    yield from (load(str(p)) for p in shipped_lessons())
    yield from (practice_lesson(seed) for seed in range(1, 51))


def exact_text(step) -> str:
    """The right value, rounded as the card asks, typed as a learner would."""
    return rounded(step.value, step.places)


def check_step(step) -> None:
    """The precision policy on one step: the value asked for passes, no known mistake does."""
    assert grade(step, exact_text(step)).correct, (step.id, exact_text(step))
    assert grade(step, repr(step.value)).correct, step.id
    assert grade(step, shown_at(step.from_shown(), step.places).replace("−", "-")).correct
    for mistake in step.mistakes:
        for world in ("exact", "screen"):
            wrong = mistake.value(step.values(world))
            if not math.isfinite(wrong):
                continue
            verdict = grade(step, rounded(wrong, step.places))
            assert not verdict.correct, (step.id, mistake.name, world, wrong, step.value)
            assert verdict.mistake is not None, (step.id, mistake.name)


def check_updates(step) -> None:
    """Gradient ascent and the unchanged weight are never accepted, whatever the precision."""
    v = step.values("exact")
    if step.kind != "update" or not step.asked or v.w == step.value:
        return  # a weight that does not move, or a move too small to ask (shown, not asked)
    names = {m.name for m in step.mistakes}
    assert {"gradient_ascent", "unchanged"} <= names, (step.id, names)
    for wrong in (v.w, v.w + v.rate * v.g):
        assert not grade(step, rounded(wrong, step.places)).correct, step.id
        assert not grade(step, repr(wrong)).correct, step.id


@pytest.mark.parametrize("lesson", list(every_lesson()), ids=lambda lesson: lesson.name)
def test_every_step_accepts_what_its_card_asks_and_no_known_mistake(lesson):
    for step in steps.asked(steps.build(lesson)):
        check_step(step)
        check_updates(step)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)  # the same networks on every run: CI is not a lottery
@given(lessons())
def test_the_policy_holds_on_generated_networks(lesson):
    for step in steps.build(lesson):
        check_step(step)
        check_updates(step)


def test_the_card_states_the_places_and_a_coarse_right_answer_costs_no_try():
    dz3 = lesson_steps("lecture-example")["s1.backward.L2.n1.dl_dz"]  # −0.0458
    assert (dz3.places, dz3.precision) == (3, "small")
    verdict = grade(dz3, "-0.05")  # right to 2 places: the example
    assert verdict.imprecise and verdict.coarse == 2 and verdict.key == "precision"
    gain = lesson_steps("lecture-example")["s1.backward.L2.n2.gain"]  # σ'(z₄) = 0.0985
    assert grade(gain, "0.10").imprecise
    assert grade(gain, "0.098").correct and grade(gain, "0.0985").correct
    assert not grade(gain, "0").imprecise  # says nothing: not "right to 0 places"
    assert grade(gain, "0.1").coarse == 1  # right to 1 place
    z3 = lesson_steps("lecture-example")["s1.forward.L2.n1.z"]  # 1.84
    assert not grade(z3, "2").imprecise  # a guess, not a rounding


def test_updates_ask_for_the_places_their_change_needs():
    update = lesson_steps("lecture-example")["update.L3.n2.w2"]  # 4 − 0.5·0.013 = 3.9934
    assert update.places == 3 and update.precision == "apart"
    assert grade(update, "4").mistake == "unchanged"
    assert grade(update, "4.00").mistake == "unchanged"
    assert grade(update, "4.007").mistake == "gradient_ascent"
    assert grade(update, "3.99").imprecise
    assert grade(update, "3.993").correct


# --- the bug library as a table: rule → the value a learner types → the name ---------------


def test_the_corpus_is_large_and_spread_over_lessons():
    assert len(CORPUS) >= 60
    assert len({case["lesson"] for case in CORPUS}) >= 5


def test_realistic_mistakes_are_named_as_a_teacher_would():
    named = []
    for case in CORPUS:
        verdict = grade(lesson_steps(case["lesson"])[case["step"]], case["answer"])
        assert not verdict.correct, case
        named.append(case["named"] in (verdict.mistake or "", *(n for n, _ in verdict.also)))
    # the issue asks for 90 %; every case is named today, and a change that loses one says so
    assert all(named), [c for c, ok in zip(CORPUS, named, strict=True) if not ok]


def test_every_mistake_in_the_library_is_in_the_corpus_and_explained_in_both_languages():
    covered = {case["named"] for case in CORPUS}
    rare = {"z_for_a_term", "ce_wrong_class", "sample_sign", "gain_of_a", "weights_transposed",
            "other_weights", "softmax_term_missing", "targets_swapped", "squared_error_for_ce",
            "ce_dl_dy", "quarter", "other_neurons_weights", "loss_for_derivative",
            "multiplied_instead", "gain_from_z", "square_dropped", "one_minus_a_squared",
            "value_for_derivative", "change_only", "rate_forgotten", "unchanged"}  # fmt: skip
    assert set(mistakes.names()) - covered - rare == set()
    for name in mistakes.names():
        assert name in MISTAKES and name in MISTAKES_ZH


def test_a_sum_says_which_term_is_off():
    z5 = lesson_steps("lecture-example")["s1.forward.L3.n1.z"]
    verdict = grade(z5, "3*0.86-2")
    assert (verdict.mistake, verdict.term) == ("term_missing", "w₅₄·a₄")
    a3 = lesson_steps("lecture-example")["s1.backward.L2.n1.sum"]
    verdict = grade(a3, "3*(-0.09)")
    assert (verdict.mistake, verdict.term) == ("term_missing", "w₆₃·∂l/∂z₆")
    s = lesson_steps("02-chain-rule-case-2")["chain.s"]
    assert grade(s, "1.649").term == "s → y → z"
    z1 = lesson_steps("lecture-example")["s1.forward.L1.n1.z"]  # neuron 2's weights, not its own
    assert (grade(z1, "-1").mistake, grade(z1, "-1").term) == ("other_weights", "w₂₁, w₂₂")


def test_named_mistakes_are_named_from_full_precision_and_from_the_screen_alike():
    gain = lesson_steps("lecture-example")["s1.backward.L1.n1.gain"]  # a₁ = 0.98201
    assert grade(gain, "1-0.98").mistake == "one_minus_a"  # from the rounded a₁
    assert grade(gain, "1-0.98201").mistake == "one_minus_a"  # from the full one
    assert grade(gain, "0.98*(1-0.98)").correct  # the right rule, from the rounded a₁


def test_random_wrong_numbers_are_never_named():
    rng = random.Random(7)
    for name in ("lecture-example", "09-softmax-cross-entropy", "02-chain-rule-case-2"):
        for step in lesson_steps(name).values():
            values = [m.value(step.values(w)) for m in step.mistakes for w in ("exact", "screen")]
            values += [step.value, step.from_shown()]
            unit = 10.0**-step.places
            for _ in range(30):
                guess = step.value + rng.uniform(-3, 3) * max(1.0, abs(step.value))
                if all(abs(guess - x) > 2 * unit for x in values if math.isfinite(x)):
                    verdict = grade(step, repr(guess))
                    assert verdict.mistake is None and not verdict.correct, (step.id, guess)


def test_a_name_is_given_only_when_the_number_matches_at_the_steps_places():
    for step in lesson_steps("lecture-example").values():
        for mistake in step.mistakes:
            wrong = mistake.value(step.values("exact"))
            off = wrong + 3 * 10.0**-step.places
            verdict = grade(step, repr(off))
            if verdict.mistake == mistake.name:  # only if another world lands there
                screen = mistake.value(step.values("screen"))
                assert same_at(off, screen, step.places), (step.id, mistake.name)


# --- error carried forward ------------------------------------------------------------------


def test_an_answer_worked_from_the_learners_own_accepted_answers_is_accepted():
    lecture = lesson_steps("lecture-example")
    gain = lecture["s1.backward.L1.n1.gain"]  # 0.0177
    assert grade(gain, "0.98*0.02").correct  # 0.0196: from the rounded a₁, so accepted
    dz1 = lecture["s1.backward.L1.n1.dl_dz"]  # 0.0177 · (−0.2018) = −0.0036
    assert not grade(dz1, "0.0196*(-0.2)").correct  # without the learner's own σ'(z₁)
    carried = {gain.id: 0.0196}
    verdict = grade(dz1, "0.0196*(-0.2)", carried)
    assert verdict.correct and verdict.basis == "carried"
    assert verdict.carried == (("σ'(z₁)", "0.0196"),)
    # and the carried number still names a mistake made with it
    assert grade(dz1, "-0.2", carried).mistake == "gain_left_out"


def test_carrying_forward_never_lets_a_known_mistake_through():
    lecture = lesson_steps("lecture-example")
    update = lecture["update.L3.n2.w2"]
    gradient = update.operands[2].step
    # a learner whose own gradient was 0 would "get" the unchanged weight: still not accepted
    assert not grade(update, "4", {gradient: 0.0}).correct


def test_typed_places():
    assert [typed_places(x) for x in ("0.10", "4", "−0.05", "3,25", "4e-3", "1/3", "0.1*2")] == [
        2, 0, 2, 2, 3, None, None,
    ]  # fmt: skip


def test_the_readme_lists_every_mistake_the_tutor_names():
    """…in the tutor's own words: the README's table is the glossary's English, kept in step."""
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    for name in mistakes.names():
        said = MISTAKES[name].replace("{term}", "*term*").replace("{other}", "*other*")
        assert f"| `{name}` | {said.replace('|', chr(92) + '|')} |" in readme, name


def test_a_second_reading_of_the_same_number_names_its_term_too(lecture):
    from bptui.tui.texts import explain

    z1 = steps.build(lecture)[0]  # z₁ = 1·1 + (−2)·(−1) + 1 = 4
    verdict = grade(z1, "2", {})  # the bias subtracted, or the second term left out
    said = explain(verdict)
    assert "…" not in said and "w₁₂·x₂" in said


def test_an_answer_worked_from_ones_own_answers_as_the_tutor_said_them_back_is_right():
    """The tutor says "that gives −0.14" for an expression worth −0.1436: a learner who then
    works from −0.14 (and from a₁ as shown, −0.76) is right, as an exam marker would say."""
    exam = lesson_steps("13-exam")
    step = exam["s1.gradient.L2.n1.w1"]  # ∂l/∂w₃₁ = a₁·∂l/∂z₃, asked to 3 places
    a1, d3 = (o.step for o in step.operands)
    carried = {a1: math.tanh(-1), d3: -0.1436}  # both accepted earlier, typed as expressions
    verdict = grade(step, "-0.76*(-0.14)", carried)
    assert verdict.correct and verdict.basis == "carried"
    assert dict(verdict.carried)["∂l/∂z₃"] == "−0.14"  # said as the tutor said it back
    assert not grade(step, "-0.76*(-0.15)*2", carried).correct


def test_too_few_places_is_not_called_right_when_a_slip_looks_the_same():
    from bptui.tui.texts import verdict

    gain = lesson_steps("10-vanishing-gradients")["s1.backward.L1.n1.gain"]  # σ'(z₁) = 0.0177
    typed = shown_at(1 - gain.operands[0].value, 3)  # 1 − a₁ = 0.0180: the slip, to 3 places
    result = grade(gain, typed)
    assert result.imprecise and result.slip_too and not result.correct
    said = verdict(gain, typed, result)
    assert "Right" not in said and "common slip" in said


def test_a_value_worked_to_a_half_may_be_rounded_either_way():
    update = lesson_steps("08-samples-and-gradient-descent")["update.L1.n1.w1"]
    assert update.from_shown() == pytest.approx(0.5105)  # from the numbers on screen: a half
    assert grade(update, "0.511").correct and grade(update, "0.510").correct
    assert not grade(update, "0.512").correct
    assert update.rounded_on_screen  # and the card says ≈ beside the key's 0.510


def test_only_a_cut_off_answer_is_told_to_round_and_one_off_uses_a_try():
    def cut_off(value: float, places: int) -> float:
        return math.copysign(math.floor(abs(value) * 10**places) / 10**places, value)

    for step in lesson_steps("lecture-example").values():  # one whose cutting off is not right
        cut = cut_off(step.value, step.places)
        worlds = (step.value, step.from_shown())
        if step.asked and not any(agrees(cut, right, step.places) for right in worlds):
            break
    else:
        raise AssertionError("no step where cutting off differs from rounding")
    sign = -1 if step.value < 0 else 1
    assert grade(step, f"{cut:.{step.places}f}").coarse == step.places  # "round, don't cut off"
    below = cut - sign * 10**-step.places  # off by one the other way: no cutting off of anything
    verdict = grade(step, f"{below:.{step.places}f}")
    assert not verdict.correct and verdict.coarse is None


def test_a_tiny_mistake_value_is_no_name_for_every_number_that_rounds_like_it():
    dl_dy = lesson_steps("03-one-neuron")["s1.output.L1.n1.dl_dy"]  # asked to 3 places
    assert grade(dl_dy, "0.00016").mistake == "loss_given"  # l itself: 0.00016
    assert grade(dl_dy, "0.0001").mistake is None
    assert grade(dl_dy, "-0.0003").mistake is None


def test_an_update_from_a_gradient_carried_as_0_is_unchanged_and_says_whose_number_led_there():
    update = lesson_steps("13-exam")["update.L2.n1.b"]  # b₃ = 0.5; ∂L/∂b₃ = −0.012
    verdict = grade(update, "0.500", {"total.L2.n1.b": 0.0})  # the learner's own, too rough
    assert not verdict.correct and verdict.mistake == "unchanged"
    assert verdict.carried == (("∂L/∂b₃", "0"),)


def test_an_answer_from_some_of_the_learners_own_numbers_and_the_rest_from_the_screen_is_right():
    step = lesson_steps("lecture-example")["s1.backward.L1.n1.dl_dz"]  # σ'(z₁)·∂l/∂a₁
    gain, total = step.operands
    mine = {gain.step: 0.0196, total.step: total.on_screen - 0.01}  # both their own, both off
    mixed = 0.0196 * total.on_screen  # their own gain, the screen's ∂l/∂a₁
    assert not agrees(mixed, step.compute(step.values("carried", mine)), step.places)
    verdict = grade(step, repr(mixed), mine)
    assert verdict.correct and verdict.basis == "carried"
    assert verdict.carried == ((gain.symbol, "0.0196"),)  # only the number of theirs it used


def test_what_the_learners_own_numbers_give_is_right_though_another_slip_lands_there_too():
    step = lesson_steps("13-exam")["s2.gradient.L2.n1.w2"]  # ∂l/∂w₃₂ = a₂·∂l/∂z₃, sample 2
    mine = {"s2.forward.L1.n2.a": -0.245, "s2.output.L2.n1.dl_dz": 0.1386}  # both accepted
    assert any(
        m.name == "z_for_a_input" and agrees(-0.034, m.value(step.values("exact")), 3)
        for m in step.mistakes
    )  # fmt: skip  (z₂ = −0.25 for a₂ lands there too)
    verdict = grade(step, "-0.245*0.1386", mine)
    assert verdict.correct and verdict.basis == "carried"


def test_the_learners_own_numbers_are_named_even_when_they_round_like_the_screen():
    z3 = lesson_steps("lecture-example")["s1.forward.L2.n1.z"]  # 2·a₁ − a₂: on screen 1.84
    verdict = grade(z3, "1.85", {"s1.forward.L1.n1.a": 0.984, "s1.forward.L1.n2.a": 0.119})
    assert verdict.correct and verdict.basis == "carried"
    assert verdict.carried == (("a₁", "0.984"), ("a₂", "0.119"))  # not "what the screen gives"


def test_an_answer_typed_as_a_half_rounds_half_up():
    gain = lesson_steps("11-matrix-view")["s1.backward.L1.n1.gain"]  # 0.235004, to 3 places
    assert grade(gain, "0.2345").correct  # 0.2345 → 0.235 (the float lies a hair below)
    assert not grade(gain, "0.2355").correct  # 0.2355 → 0.236


def test_a_mistake_given_to_fewer_places_than_asked_is_still_named():
    total = lesson_steps("06-op-amp-hidden-layers")["s1.backward.L1.n2.sum"]  # −0.0094
    verdict = grade(total, "0.10")  # the sign of w₄₂·∂l/∂z₄ dropped: 0.101, to 2 places
    assert (verdict.mistake, verdict.term) == ("term_sign", "w₄₂·∂l/∂z₄")


def test_no_verdict_names_a_later_steps_value():
    """Another neuron's gain or ∂l/∂z is named only when it was worked out before this step."""
    for name in ("lecture-example", "10b-dead-relu", "13-exam"):
        steps_in_order = list(lesson_steps(name).values())
        seen: set[str] = set()
        for step in steps_in_order:
            for operand in step.context:
                assert operand.step is None or operand.step in seen, (step.id, operand.step)
            seen.add(step.id)


@pytest.mark.parametrize("lesson", list(every_lesson()), ids=lambda lesson: lesson.name)
def test_a_learner_who_rounds_every_answer_as_asked_is_followed_through_the_whole_lesson(lesson):
    """Each asked step answered with what follows from the learner's own earlier answers (as they
    typed them, rounded as each card asks): every one is accepted, unless it is an update that
    goes uphill or nowhere (which no follow-through excuses)."""
    from bptui.answers import read
    from bptui.mistakes import ESSENTIAL
    from bptui.notation import rounded

    carried: dict[str, float] = {}
    for step in steps.build(lesson):
        if not step.asked:
            continue
        own = step.compute(step.values("carried", carried))
        answer = rounded(own, step.places)  # to the places asked, trailing zeros kept
        verdict = grade(step, answer, carried)
        assert verdict.correct or verdict.mistake in ESSENTIAL, (step.id, answer, verdict)
        if verdict.correct:
            carried[step.id] = read(answer)[0]


@pytest.mark.parametrize("lesson", list(every_lesson()), ids=lambda lesson: lesson.name)
def test_a_learner_who_mixes_their_own_numbers_with_the_screens_is_followed_too(lesson):
    """As above, but each answer is worked from some of the learner's own numbers and the rest as
    on screen (a random mix, fixed per step; up to 4 of their own numbers in one step)."""
    from bptui.answers import MIXED, read
    from bptui.mistakes import ESSENTIAL
    from bptui.notation import rounded

    carried: dict[str, float] = {}
    for step in steps.build(lesson):
        if not step.asked:
            continue
        ids = list(dict.fromkeys(o.step for o in step.operands if o.step in carried))
        pick = random.Random(step.id)
        mine = {k: v for k, v in carried.items() if k not in ids or pick.random() < 0.5}
        if len(ids) > MIXED:
            mine = carried
        own = step.compute(step.values("carried", mine))
        answer = rounded(own, step.places)
        verdict = grade(step, answer, carried)
        assert verdict.correct or verdict.mistake in ESSENTIAL, (step.id, answer, verdict)
        if verdict.correct:
            carried[step.id] = read(answer)[0]
