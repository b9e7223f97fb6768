"""Nothing on screen gives away an answer that has not been given.

For every step of every shipped lesson and of the practice lessons of seeds 1–50, the screen the
learner sees (the card, its hints, the diagram and the answer box) is drawn headless twice: having
answered every step before it, and having jumped straight to it. Every number on it must be one
the learner already has: the lesson's own data, or the value of a step already answered, revealed
or never asked. A hint may work numbers part of the way, but never to the step's own value.
"""

from __future__ import annotations

import re

import pytest

from bptui import steps
from bptui.diagram import draw
from bptui.lesson import GraphLesson, load, shipped_lessons
from bptui.notation import given
from bptui.session import Session
from bptui.tui import texts

from .test_judging import practice_lesson

NUMBER = re.compile(r"−?-?\d+(?:\.\d+)?")
TAGS = re.compile(r"\[/\]|\[/?[$a-z][^\]]*\]")
# The tutor's own words with numbers in them (not values): "neuron 3 of layer 2", "F5".
OWN_WORDS = re.compile(
    r"(?:layer|neuron|sample|output|step|Hint|case) \d+(?:/\d+)?"
    r"|\d+ (?:decimal place|significant|samples)|F\d+|of \d+",
    re.IGNORECASE,
)


def numbers(text: str) -> set[str]:
    text = OWN_WORDS.sub("", TAGS.sub("", text))
    return {n.replace("-", "−") for n in NUMBER.findall(text)}


def lesson_data(lesson) -> set[str]:
    """Every number the lesson file itself gives: the learner has these from the start."""
    values = []
    if isinstance(lesson, GraphLesson):
        values += [v for _, v in lesson.inputs] + [0.0, 1.0]  # ∂z/∂z = 1 is drawn
        found = {t for node in lesson.nodes for t in numbers(node.expr)}
    else:
        for layer in lesson.layers:
            values += [w for row in layer.weights for w in row] + list(layer.biases)
        for sample in lesson.samples:
            values += list(sample.x) + list(sample.target)
        values.append(lesson.learning_rate)
        found = set()
    found |= {given(v).strip("()") for v in values}
    for text in lesson.narration.values():
        for piece in text.values() if isinstance(text, dict) else [text]:
            found |= numbers(piece)
    return found | numbers(lesson.title) | numbers(lesson.summary)


def screen(session: Session) -> tuple[str, str]:
    """(what is drawn without the hints, the hints) for the current step."""
    step = session.step
    record = session.progress.record(step.id)
    record.hints = 0
    plain = texts.card(session) + draw(session, step, 98) + texts.placeholder(session)
    record.hints = len(step.hints)
    hints = "\n".join(session.hints_shown())
    record.hints = 0
    return plain, hints


def check(session: Session, data: set[str]) -> None:
    step = session.step
    known = data | {s.shown for s in session.all_steps if session.known(s)}
    # The rule's own constants: the 1 in a·(1 − a), ∂z/∂b = 1 in the note (notes are symbols).
    known |= numbers(step.formula) | (numbers(step.note) & {"0", "1", "2"})
    plain, hints = screen(session)
    unknown = numbers(plain) - known
    assert not unknown, (step.id, unknown, plain)
    # A hint works the numbers part of the way: never to the step's own value.
    assert step.shown not in numbers(hints) - known, (step.id, hints)


def every_lesson():
    yield from (load(str(p)) for p in shipped_lessons())
    yield from (practice_lesson(seed) for seed in range(1, 51))


@pytest.mark.parametrize("lesson", list(every_lesson()), ids=lambda lesson: lesson.name)
def test_no_screen_shows_an_answer_not_yet_given(lesson):
    data = lesson_data(lesson)
    all_steps = steps.build(lesson)
    in_order, jumping = Session(lesson, all_steps), Session(lesson, all_steps)
    for index, step in enumerate(in_order.steps):
        in_order.go(index)
        check(in_order, data)
        jumping.go(index)
        check(jumping, data)
        record = in_order.progress.record(step.id)  # answered, as the learner would
        record.answers, record.verdicts, record.correct = [step.shown], ["right"], True
        check(in_order, data)  # and once answered, its numbers are all known ones


def test_the_answer_box_and_help_give_nothing_away():
    shown = {s.shown for p in shipped_lessons() for s in steps.build(load(str(p)))}
    from bptui.expr import calculate

    help_text = texts.help_text()
    examples = re.findall(r"\[i\]([^[]+)\[/\]", help_text)
    assert len(examples) >= 8
    for example in examples:
        value = calculate(example)  # every example is a correct answer in the answer language
        assert all(abs(value - float(s.replace("−", "-"))) > 1e-3 for s in shown if s), (
            example
        )  # and none is a value any shipped lesson asks for
    assert "(0.37-1)^2" in help_text and "-0.38^2" not in help_text  # −0.38^2 is −0.1444


@pytest.mark.parametrize("level", ["formula", "blank"])
@pytest.mark.parametrize(
    "name", ["lecture-example", "02-chain-rule-case-2", "09-softmax-cross-entropy"]
)
def test_a_scaffold_keeps_back_what_it_says_until_the_answer(name, level):
    from dataclasses import replace

    lesson = replace(load(name), scaffold=level)
    session = Session(lesson, steps.build(lesson))
    for index, step in enumerate(session.steps):
        session.go(index)
        card = TAGS.sub("", texts.card(session)).replace("\\[", "[")
        numbers = step.filled(session.texts(step))
        assert f"{step.symbol} = {numbers} =" not in card or numbers == step.formula, step.id
        if level == "blank":
            assert f"{step.symbol} = {step.formula}" not in card, (step.id, card)
        record = session.progress.record(step.id)
        record.answers, record.verdicts, record.correct = [step.shown], ["right"], True
        card = TAGS.sub("", texts.card(session)).replace("\\[", "[")
        assert f"{step.symbol} = {step.formula}" in card  # once answered: all of it


def test_the_hint_ladder_gives_the_rule_then_the_formula_then_its_numbers():
    from dataclasses import replace

    lesson = replace(load("lecture-example"), scaffold="blank")
    session = Session(lesson, steps.build(lesson))
    session.go(session.index["s1.forward.L2.n1.z"])
    for step in session.steps[: session.position]:
        session.progress.record(step.id).revealed = True
    assert "z₃ = w₃₁·a₁" not in texts.card(session)
    assert session.hint().startswith("z = Σₖ wₖ·aₖ + b")  # the rule
    assert session.hint() == "z₃ = w₃₁·a₁ + w₃₂·a₂ + b₃"  # the formula
    assert session.hint() == "z₃ = 2·0.98 + (−1)·0.12 + 0"  # its numbers
    assert session.hint().startswith("2·0.98 = 1.96")  # worked part of the way
    assert session.hint() is None
    assert session.score() and session.record().hints == 4


@pytest.mark.parametrize("path", shipped_lessons(), ids=lambda p: p.stem)
def test_a_symbol_not_yet_known_stays_whole_in_a_formula(path):
    """With only the lesson's own numbers put in, every other operand is written as its symbol,
    whole: ∂L/∂b₆ never becomes ∂L/∂2 because b₆ = 2 is known."""
    for step in steps.build(load(str(path))):
        if step.expression:
            continue
        given = {o.symbol: o.text for o in step.operands if o.step is None}
        filled = step.filled(given)
        for operand in step.operands:
            if operand.step is not None:
                assert operand.symbol in filled, (step.id, filled)


def test_a_blank_card_lists_the_known_numbers_the_picture_cannot_show():
    """The exam's sums over samples and updates: the per-sample gradients (and the totals) are on
    no picture, so a blank card lists them once known — as '?' while not yet known."""
    lesson = load("13-exam")
    session = Session(lesson, steps.build(lesson))
    total = next(i for i, s in enumerate(session.steps) if s.id == "total.L1.n1.w1")
    session.go(total)  # jumped ahead: nothing known yet
    card = TAGS.sub("", texts.card(session))
    assert "Known: ∂l¹/∂w₁₁ = ?, ∂l²/∂w₁₁ = ?" in card
    for step in session.steps[:total]:  # every earlier step answered, as the learner would
        record = session.progress.record(step.id)
        record.answers, record.verdicts, record.correct = [step.shown], ["right"], True
    by = {s.id: s for s in session.steps}
    first, second = by["s1.gradient.L1.n1.w1"].shown, by["s2.gradient.L1.n1.w1"].shown
    card = TAGS.sub("", texts.card(session))
    assert f"Known: ∂l¹/∂w₁₁ = {first}, ∂l²/∂w₁₁ = {second}" in card
    assert by["total.L1.n1.w1"].shown not in card.split("Known")[1].split("\n")[0]


def test_a_phase_narration_waits_until_the_steps_before_it_are_known():
    """Lesson 11's gradient narration writes out δ¹: jumping ahead, it is not shown."""
    lesson = load("11-matrix-view")
    session = Session(lesson, steps.build(lesson))
    first = next(i for i, s in enumerate(session.steps) if s.phase == "gradient")
    session.go(first)  # jumped ahead: δ¹ unknown
    assert "δ¹ xᵀ" not in texts.card(session)
    for step in session.steps[:first]:
        record = session.progress.record(step.id)
        record.answers, record.verdicts, record.correct = [step.shown], ["right"], True
    assert "δ¹ xᵀ" in texts.card(session)


def test_the_narrations_own_lines_and_matrices_are_kept():
    from bptui.notation import wrap

    lines = wrap(load("11-matrix-view").narration["intro"], 74)
    assert "  W¹ (3×2) = [ 0.5   2  ]      W² (2×3) = [ −2  1.5  −1 ]" in lines
    assert "             [ −1  −0.5 ]" in lines


def test_jumped_ahead_a_wrong_answer_gets_no_name_that_tells_an_unknown_value():
    lesson = load("13-exam")
    session = Session(lesson, steps.build(lesson))
    index = next(i for i, s in enumerate(session.steps) if s.id == "s2.gradient.L1.n1.w1")
    session.go(index)  # ∂l/∂z₁ of sample 2 not worked out: "that is ∂l/∂z alone" would tell it
    delta = session.by_id["s2.backward.L1.n1.dl_dz"]
    verdict = session.answer(delta.shown.replace("−", "-"))
    assert not verdict.correct and verdict.mistake is None
    for step in session.steps[:index]:  # worked out in order: now it is named
        record = session.progress.record(step.id)
        record.answers, record.verdicts, record.correct = [step.shown], ["right"], True
    assert session.answer(delta.shown.replace("−", "-")).mistake == "input_left_out"
