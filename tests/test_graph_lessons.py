"""Chain-rule graph lessons with nodes off the path to the output (bptui/graph.py): a copy of the
computation with one input nudged, as the numerical gradient check needs.

Such a node's value is asked like any other; its edges' local derivatives and its ∂out/∂node = 0
are shown, not asked, and come first in their phase, so the picture never waits on them; and it
adds no term to the chain rule of the names it uses."""

from __future__ import annotations

import json
import re

import pytest

from bptui import graph, steps
from bptui.cli import main
from bptui.diagram import draw
from bptui.i18n import set_language
from bptui.lesson import GraphLesson, load
from bptui.session import Session

from .test_course import finite_difference

NUDGED = """\
title = "A nudged copy beside the chain"
[graph]
inputs = { w = 0.5, x = 2, eps = 0.01 }
output = "l"
[[graph.nodes]]
name = "z"
expr = "w*x"
[[graph.nodes]]
name = "l"
expr = "z^2"
[[graph.nodes]]
name = "l_new"
expr = "((w + eps)*x)^2"
[[graph.nodes]]
name = "slope"
expr = "(l_new - l)/eps"
"""

TAGS = re.compile(r"\[/\]|\[/?[$a-z][^\]]*\]")


@pytest.fixture(autouse=True)
def english():
    set_language("en")
    yield
    set_language("en")


@pytest.fixture
def nudged(write) -> GraphLesson:
    return load(write(NUDGED))


def test_only_the_names_on_a_path_to_the_output_reach_it(nudged):
    trace = graph.run(nudged)
    assert trace.reaches == {"w", "x", "z", "l"}
    assert graph.paths(trace, "w", "l") == [["w", "z", "l"]]  # not w → l_new → slope
    assert [trace.gradients[n] for n in ("l_new", "slope", "eps")] == pytest.approx([0, 0, 0])


def test_a_node_off_the_path_is_asked_for_its_value_only(nudged, capsys):
    assert main(["key", nudged.source, "--json"]) == 0
    asked = [s["id"] for s in json.loads(capsys.readouterr().out)["steps"]]
    # ∂l/∂z is not asked: it is the local derivative ∂l/∂z again
    assert asked == ["values.z", "values.l", "values.l_new", "values.slope",
                     "local.z.w", "local.z.x", "local.l.z", "chain.x", "chain.w"]  # fmt: skip
    shown = {s.id: s for s in steps.build(nudged) if not s.asked}
    assert {"local.l_new.w", "local.slope.l_new", "chain.l_new", "chain.eps"} <= set(shown)
    assert shown["chain.l_new"].value == pytest.approx(0)
    assert shown["chain.l_new"].note == "No path to l."


def test_the_chain_rule_of_a_shared_input_leaves_the_copy_out(nudged):
    by_id = {s.id: s for s in steps.build(nudged)}
    chain = by_id["chain.w"]
    assert chain.formula == "∂l/∂z·∂z/∂w"  # no "+ ∂l/∂l_new·∂l_new/∂w", which is 0
    assert chain.edges == (("w", "z"),)
    assert "w → z → l" in chain.note and "l_new" not in chain.note + chain.after
    assert chain.value == pytest.approx(2 * 0.5 * 2 * 2)  # ∂(w·x)²/∂w = 2·w·x·x


def test_the_gradients_still_agree_with_finite_differences(nudged):
    trace = graph.run(nudged)
    for name in ("w", "x", "eps"):
        assert trace.gradients[name] == pytest.approx(finite_difference(nudged, name), abs=1e-6)


def test_what_is_off_the_path_comes_first_in_its_phase(nudged):
    built = steps.build(nudged)
    for phase in ("local", "chain"):
        ids = [s for s in built if s.phase == phase]
        first_asked = next(i for i, s in enumerate(ids) if s.asked)
        assert all(not s.asked for s in ids[:first_asked])
        assert all(s.asked or s.node in ("l", "x") for s in ids[first_asked:]), phase


@pytest.mark.parametrize("phase", ["local", "chain"])
def test_the_picture_never_waits_on_a_step_that_is_not_asked(nudged, phase):
    """At the first step of a phase, every "?" in the whole picture is a step still to be asked."""
    session = Session(nudged, steps.build(nudged))
    first = next(i for i, s in enumerate(session.steps) if s.phase == phase)
    for step in session.steps[:first]:
        session.progress.record(step.id).revealed = True
    session.go(first)
    text = TAGS.sub("", draw(session, session.step, 400, 100, full=True))
    unknown = {s.symbol for s in session.steps[first:]}
    for line in text.splitlines():
        for symbol in re.findall(r"(∂\w+/∂\w+)(?: =)? \?", line):
            assert symbol in unknown, (symbol, line)
    if phase == "chain":
        assert "∂l/∂l_new = 0" in text and "∂l/∂slope = 0" in text


def test_graphs_without_such_nodes_are_unchanged(capsys):
    assert main(["key", "02-chain-rule-case-2", "--json"]) == 0
    ids = [s["id"] for s in json.loads(capsys.readouterr().out)["steps"]]
    assert ids == ["values.x", "values.y", "values.z", "local.x.s", "local.y.s", "local.z.x",
                   "local.z.y", "chain.s"]  # fmt: skip


def test_a_lesson_with_a_copy_checks_keys_and_replays(nudged, write, capsys):
    assert main(["check", nudged.source]) == 0
    asked = steps.asked(steps.build(nudged))
    answers = write("[answers]\n" + "".join(f'"{s.id}" = "{s.shown}"\n' for s in asked), "a.toml")
    capsys.readouterr()
    assert main(["replay", nudged.source, answers, "--json", "--strict"]) == 0
    assert json.loads(capsys.readouterr().out)["correct"] == len(asked)


def test_a_dead_end_before_the_output_is_shown_not_asked(write):
    lesson = load(
        write(
            'title = "t"\n[graph]\ninputs = { s = 1.5 }\noutput = "z"\n'
            '[[graph.nodes]]\nname = "spare"\nexpr = "3*s"\n'
            '[[graph.nodes]]\nname = "z"\nexpr = "s^2"\n'
        )
    )
    built = steps.build(lesson)
    asked = [s.id for s in built if s.asked]
    assert asked == ["values.spare", "values.z", "local.z.s"]  # ∂z/∂s is the one path's product
    chain = {s.id: s for s in built}["chain.spare"]
    assert not chain.asked and chain.value == pytest.approx(0)
