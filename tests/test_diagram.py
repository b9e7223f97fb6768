"""The network drawn as text, for every shipped lesson: golden files of the first forward and the
first backward step, at 100 and at 80 columns (tests/golden/; BPTUI_GOLDEN=update rewrites them,
then look at the diff), and the properties that make it readable."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from bptui import steps
from bptui.diagram import draw
from bptui.lesson import GraphLesson, load, shipped_lessons
from bptui.session import Session

GOLDEN = Path(__file__).parent / "golden"
TAGS = re.compile(r"\[/\]|\[/?[$a-z][^\]]*\]")
WIDTHS = {"100x30": (98, 14), "80x24": (78, 8)}


def plain(markup: str) -> str:
    return TAGS.sub("", markup).replace("\\[", "[").replace("\\\u200b", "\\")


def first_steps(lesson) -> dict[str, str]:
    forward = {"values"} if isinstance(lesson, GraphLesson) else {"forward"}
    backward = {"chain"} if isinstance(lesson, GraphLesson) else {"output", "backward"}
    asked = steps.asked(steps.build(lesson))
    found = {
        "first forward step": next((s.id for s in asked if s.phase in forward), None),
        "first backward step": next((s.id for s in asked if s.phase in backward), None),
    }
    return {what: step_id for what, step_id in found.items() if step_id}  # a lesson may ask one


def at(lesson, step_id: str) -> Session:
    """The lesson at a step, every step before it revealed: the values a learner would have."""
    session = Session(lesson, steps.build(lesson))
    session.go(session.index[step_id])
    for step in session.steps[: session.position]:
        session.progress.record(step.id).revealed = True
    return session


def drawings(lesson) -> str:
    out = []
    for what, step_id in first_steps(lesson).items():
        for size, (width, height) in WIDTHS.items():
            session = at(lesson, step_id)
            out.append(f"--- {what} ({step_id}) at {size}")
            out.append(plain(draw(session, session.step, width, height)))
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("path", shipped_lessons(), ids=lambda p: p.stem)
def test_the_drawing_of_every_shipped_lesson(path):
    golden = GOLDEN / f"{path.stem}.txt"
    text = drawings(load(str(path)))
    if os.environ.get("BPTUI_GOLDEN") == "update" or not golden.exists():
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", shipped_lessons(), ids=lambda p: p.stem)
def test_it_fits_and_every_weight_sits_on_its_own_edge(path):
    lesson = load(str(path))
    for step_id in first_steps(lesson).values():
        for width, height in WIDTHS.values():
            session = at(lesson, step_id)
            lines = plain(draw(session, session.step, width, height)).split("\n")
            assert max(len(line) for line in lines) <= width, (step_id, width)
            assert len(lines) <= height + 3, (step_id, height)  # the caption may wrap
    if isinstance(lesson, GraphLesson):
        return
    session = Session(lesson, steps.build(lesson))
    forward = next(s for s in session.all_steps if s.phase == "forward")  # asked or not
    text = plain(draw(session, forward, 400, 100, full=True))
    for layer, spec in enumerate(lesson.layers, 1):
        source = "x" if layer == 1 else "a" if layer < len(lesson.layers) else "a"
        for row in spec.weights:
            for weight in row:
                # each weight written once per edge, as weight·source, on a row of its own
                label = f"{weight:g}".replace("-", "−") + "·"
                assert label in text, (layer, weight)
        del source


def test_the_current_steps_edges_are_bright_and_the_rest_dim(lecture):
    session = at(lecture, "s1.forward.L2.n1.z")
    markup = draw(session, session.step, 98, 14)
    bright = " ".join(re.findall(r"\[bold \$accent\]([^\[]*)\[/\]", markup))
    dim = " ".join(re.findall(r"\[\$text-muted\]([^\[]*)\[/\]", markup))
    assert "2·a₁" in bright and "−1·a₂" in bright and "+b₃ 0" in bright
    assert "−2·a₁" in dim and "2·a₁" not in dim.replace("−2·a₁", "")  # z₄'s edge: not this step's
    session = at(lecture, "s1.backward.L2.n1.sum")
    markup = draw(session, session.step, 98, 14)
    bright = " ".join(re.findall(r"\[bold \$accent\]([^\[]*)\[/\]", markup))
    assert "3·δ₅" in bright and "−1·δ₆" in bright and "2·δ₃" not in bright


def test_the_gain_is_written_with_the_layers_own_activation():
    lesson = load("09-softmax-cross-entropy")
    session = at(lesson, "s1.backward.L1.n1.gain")
    text = plain(draw(session, session.step, 98, 14, full=True))
    assert "◁ tanh'" in text and "σ'" not in text and "◁ softmax" in text
    assert session.step.symbol == "tanh'(z₁)"


def test_a_focused_view_when_the_whole_does_not_fit_and_f7_shows_it_all(lecture):
    session = at(lecture, "s1.forward.L2.n1.z")
    focused = plain(draw(session, session.step, 78, 8))
    assert "F7 shows the whole network" in focused and "z₅" not in focused and "z₃" in focused
    whole = plain(draw(session, session.step, 78, 8, full=True))
    assert "z₅" in whole


@pytest.mark.parametrize("width", [8, 13, 30, 61])
def test_captions_wrap_within_the_width_in_either_language(width):
    from rich.cells import cell_len

    from bptui.notation import wrap

    for text in (
        "Forward pass：每个方块把各条边上的 w·输入 和 bias 加成 z；"
        "a = f(z) 就是从它连出去的边上的 ∂z/∂w",
        "Reversed, from the output: each ◁ op-amp adds weight·δ over the edges out of it",
        "supercalifragilisticexpialidocious-and-more-of-the-same",
    ):
        lines = wrap(text, width)
        assert all(cell_len(line) <= width for line in lines)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")  # nothing lost


def test_at_80_columns_the_loss_shows_the_output_layer_and_its_targets(lecture):
    session = Session(lecture, steps.build(lecture))
    index = next(i for i, s in enumerate(session.steps) if s.id == "s1.loss")
    for step in session.steps[:index]:
        record = session.progress.record(step.id)
        record.answers, record.verdicts, record.correct = [step.shown], ["right"], True
    session.go(index)
    text = re.sub(r"\[/?[^\]]*\]", "", draw(session, session.step, width=76, height=10))
    assert "y₁ 0.618" in text and "ŷ₁ 1" in text and "y₂ 0.83" in text and "ŷ₂ 0" in text
    assert "output layer and its targets" in text
    assert max(len(line) for line in text.splitlines()) <= 76
