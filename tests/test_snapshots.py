"""Snapshots of the real tutor (SVGs in tests/__snapshots__, reviewed by eye when they change)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bptui.lesson import load
from bptui.tui.app import TutorApp

from .tui_helpers import lecture_app, ready, until_summary

ZH = Path(__file__).parent / "lessons" / "zh-example.toml"


@pytest.fixture(autouse=True)
def _no_animation(monkeypatch):
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")


def reveal_until(step_id: str):
    """run_before: reveal every step before `step_id` and go to it."""

    async def run(pilot):
        screen = await ready(pilot)
        session = screen.session
        for step in session.steps[: session.index[step_id]]:
            session.progress.record(step.id).revealed = True
        screen.goto(session.index[step_id])
        await pilot.pause()
        return screen

    return run


def test_picker(snap_compare):
    assert snap_compare(TutorApp(cursor_blink=False), terminal_size=(100, 30))


def test_first_forward_step(snap_compare):
    assert snap_compare(lecture_app(), terminal_size=(100, 30), run_before=ready)


def test_first_step_at_80x24(snap_compare):
    assert snap_compare(lecture_app(), terminal_size=(80, 24), run_before=ready)


def test_step_with_hints(snap_compare):
    async def run(pilot):
        await ready(pilot)
        await pilot.press("4", "enter", "f2", "f2")

    assert snap_compare(lecture_app(), terminal_size=(100, 30), run_before=run)


def test_wrong_answer_with_its_diagnosis(snap_compare):
    async def run(pilot):
        await reveal_until("s1.forward.L3.n1.z")(pilot)
        await pilot.press(*"2.48", "enter")

    assert snap_compare(lecture_app(), terminal_size=(100, 30), run_before=run)


def test_op_amp_backward_step(snap_compare):
    assert snap_compare(
        lecture_app(), terminal_size=(100, 30), run_before=reveal_until("s1.backward.L2.n1.sum")
    )


def test_op_amp_backward_step_in_the_light_theme(snap_compare):
    async def run(pilot):
        pilot.app.theme = "textual-light"
        await reveal_until("s1.backward.L1.n1.dl_dz")(pilot)

    assert snap_compare(lecture_app(), terminal_size=(100, 30), run_before=run)


def test_summary(snap_compare):
    """The summary names the steps that went wrong, what was typed and the mistake seen."""

    async def run(pilot):
        screen = await ready(pilot)
        for text in ("4", "4", "0.98", "-2", "0.5", "0.12", "2*0.98+0.12"):
            await pilot.press(*text, "enter")
        await reveal_until("update.L3.n2.b")(pilot)
        await pilot.press(*"1.94", "enter")
        assert screen.session.finished

    assert snap_compare(lecture_app(), terminal_size=(100, 40), run_before=run)


def test_a_term_level_diagnosis(snap_compare):
    """A term of the sum left out: the tutor says which one."""

    async def run(pilot):
        await reveal_until("s1.forward.L3.n1.z")(pilot)
        await pilot.press(*"3*0.86-2", "enter")

    assert snap_compare(lecture_app(), terminal_size=(100, 30), run_before=run)


def test_a_precision_message(snap_compare):
    """Right, but to fewer places than the card asks: said so, and no try used."""

    async def run(pilot):
        await reveal_until("s1.backward.L2.n2.gain")(pilot)
        await pilot.press(*"0.10", "enter")

    assert snap_compare(lecture_app(), terminal_size=(100, 30), run_before=run)


def test_an_answer_carried_forward_is_accepted(snap_compare):
    """σ'(z₁) accepted as 0.98·0.02 = 0.0196; ∂l/∂z₁ worked from it is right (error carried
    forward), and the card says which of the learner's own numbers it came from."""

    async def run(pilot):
        screen = await reveal_until("s1.backward.L1.n1.gain")(pilot)
        await pilot.press(*"0.98*0.02", "enter")
        await pilot.press("f3", "enter")  # ∂l/∂a₁ revealed
        await pilot.press(*"0.0196*(-0.2)", "enter")
        assert screen.session.last_verdict.basis == "carried"

    assert snap_compare(lecture_app(), terminal_size=(100, 30), run_before=run)


def test_chinese_lesson_lines_up(snap_compare):
    assert snap_compare(
        TutorApp(load(str(ZH)), cursor_blink=False), terminal_size=(100, 30), run_before=ready
    )


def test_too_small_terminal(snap_compare):
    assert snap_compare(lecture_app(), terminal_size=(60, 20), run_before=ready)


def test_a_whole_lesson_walked_through_replay(snap_compare, tmp_path):
    """An answers file with the key's values, played into the real tutor: the summary at the end."""
    from bptui import steps
    from bptui.answers_file import load_answers

    lesson = load("lecture-example")
    lines = ["[answers]"] + [f'"{s.id}" = "{s.shown}"' for s in steps.asked(steps.build(lesson))]
    (tmp_path / "key.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    answers = load_answers(tmp_path / "key.toml")

    async def run(pilot):
        await ready(pilot)
        await until_summary(pilot)
        pilot.app.clear_notifications()  # the autoplay toast's timing depends on the machine
        await pilot.pause()

    app = TutorApp(lesson, autoplay=0.001, answers=answers, cursor_blink=False, persist=False)
    assert snap_compare(app, terminal_size=(100, 30), run_before=run)


@pytest.fixture
def chinese():
    from bptui.i18n import set_language

    set_language("zh")
    yield
    set_language("en")


def test_chinese_throughout(snap_compare, chinese):
    """--lang zh: the tutor's words, the step texts, the lesson's narration and the key bar."""
    assert snap_compare(
        lecture_app(), terminal_size=(100, 30), run_before=reveal_until("s1.backward.L2.n1.sum")
    )


def test_chain_rule_graph_lesson(snap_compare):
    """Case 2: the path products on the card, the graph drawn backwards from the output."""

    async def run(pilot):
        await reveal_until("chain.s")(pilot)
        await pilot.press("f2", "f2")

    app = TutorApp(load("02-chain-rule-case-2"), cursor_blink=False)
    assert snap_compare(app, terminal_size=(100, 30), run_before=run)


def lesson_at(name: str, which: str):
    """run_before: the lesson at its first forward or first backward step, the steps before it
    revealed (the values a learner would have)."""
    from .test_diagram import first_steps

    step_id = first_steps(load(name)).get(which)

    async def run(pilot):
        await reveal_until(step_id)(pilot)

    return step_id, run


SHIPPED = [p.stem for p in sorted((Path(__file__).parent.parent / "lessons").glob("*.toml"))]


@pytest.mark.parametrize("size", [(100, 30), (80, 24)], ids=["100x30", "80x24"])
@pytest.mark.parametrize("which", ["first forward step", "first backward step"])
@pytest.mark.parametrize("name", SHIPPED)
def test_every_lesson_drawn(snap_compare, name, which, size):
    step_id, run = lesson_at(name, which)
    if step_id is None:
        pytest.skip(f"{name} asks no {which.split()[1]} step")
    app = TutorApp(load(name), cursor_blink=False)
    assert snap_compare(app, terminal_size=size, run_before=run)


@pytest.mark.parametrize("level", ["numbers", "formula", "blank"])
def test_the_three_scaffold_levels(snap_compare, level):
    """The same step with the formula and its numbers, the formula only, or only what is asked."""
    app = TutorApp(load("lecture-example"), cursor_blink=False, scaffold=level)
    app.lesson = replace(app.lesson, scaffold=level)
    assert snap_compare(app, terminal_size=(100, 30), run_before=reveal_until("s1.forward.L2.n1.z"))


def test_the_hint_ladder_on_a_blank_card(snap_compare):
    async def run(pilot):
        await reveal_until("s1.forward.L2.n1.z")(pilot)
        await pilot.press("f2", "f2", "f2")

    app = TutorApp(load("lecture-example"), cursor_blink=False)
    app.lesson = replace(app.lesson, scaffold="blank")
    assert snap_compare(app, terminal_size=(100, 30), run_before=run)


def test_dz_dw_on_an_edge_of_the_second_layer(snap_compare):
    """∂z₃/∂w₃₂: the card asks only what is asked; the picture shows the input on that edge."""
    app = TutorApp(load("04-forward-pass"), cursor_blink=False)
    assert snap_compare(app, terminal_size=(100, 30), run_before=reveal_until("s1.dz_dw.L2.n1.w2"))
