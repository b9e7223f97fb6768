"""The course: chain-rule graph lessons, the curriculum, two languages, practice."""

from __future__ import annotations

import json
import math

import pytest

from bptui import graph, steps
from bptui.answers import grade
from bptui.cli import main
from bptui.i18n import default_language, set_language, t
from bptui.lesson import GraphLesson, load, shipped_lessons
from bptui.tui.app import TutorApp

from .tui_helpers import ready, until_summary

CASE_2 = """\
title = "Chain rule, case 2: two paths"
[graph]
inputs = { s = 0.5 }
output = "z"
[[graph.nodes]]
name = "x"
expr = "s^2"
[[graph.nodes]]
name = "y"
expr = "exp(s)"
[[graph.nodes]]
name = "z"
expr = "x * y"
"""


@pytest.fixture(autouse=True)
def english():
    set_language("en")
    yield
    set_language("en")


def key_json(capsys, spec: str) -> dict:
    assert main(["key", spec, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_case_2_gives_the_textbook_values_and_gradients(write, capsys):
    data = key_json(capsys, write(CASE_2))
    s = 0.5
    assert data["values"]["x"] == pytest.approx(s**2, rel=1e-12)
    assert data["values"]["z"] == pytest.approx(s**2 * math.exp(s), rel=1e-12)
    # dz/ds = 2s·eˢ + s²·eˢ, the two paths.
    assert data["gradients"]["s"] == pytest.approx((2 * s + s**2) * math.exp(s), rel=1e-12)
    assert data["gradients"]["x"] == pytest.approx(math.exp(s), rel=1e-12)
    assert data["gradients"]["y"] == pytest.approx(s**2, rel=1e-12)
    assert data["gradients"]["z"] == pytest.approx(1.0)  # ∂z/∂z
    ids = [step["id"] for step in data["steps"]]
    # ∂z/∂y and ∂z/∂x are the local derivatives on the edges into z: asked once, not twice
    assert ids == ["values.x", "values.y", "values.z", "local.x.s", "local.y.s", "local.z.x",
                   "local.z.y", "chain.s"]  # fmt: skip


def test_case_2_step_card_shows_the_path_products(write):
    by_id = {s.id: s for s in steps.build(load(write(CASE_2)))}
    chain = by_id["chain.s"]
    assert chain.formula == "∂z/∂x·∂x/∂s + ∂z/∂y·∂y/∂s"
    assert chain.numbers == "1.649·1 + 0.25·1.649"
    # The products along the paths are shown once the step is done, never before.
    assert "s → x → z; s → y → z" in chain.note and "1.649" not in chain.note
    assert "s → x → z: 1·1.649 = 1.649" in chain.after
    assert "s → y → z: 1.649·0.25 = 0.412" in chain.after
    assert "case 2" in chain.note
    assert by_id["local.x.s"].formula == "2·s"
    assert grade(chain, "1.649").mistake == "path_missing"


def test_case_1_is_a_single_product(capsys):
    data = key_json(capsys, "01-chain-rule-case-1")
    assert data["gradients"]["x"] == pytest.approx(2 * (3 * 0.5 + 1) * 3, rel=1e-12)  # dz/dy·dy/dx


def finite_difference(lesson: GraphLesson, name: str) -> float:
    h = 1e-6

    def output(shift: float) -> float:
        inputs = tuple((n, v + shift if n == name else v) for n, v in lesson.inputs)
        values = graph.run(GraphLesson(lesson.title, inputs, lesson.nodes, lesson.output)).values
        return values[lesson.output]

    return (output(h) - output(-h)) / (2 * h)


def test_graph_gradients_agree_with_finite_differences(write):
    lesson = load(
        write(
            'title = "t"\n[graph]\ninputs = { a = 0.7, b = -1.3 }\noutput = "f"\n'
            '[[graph.nodes]]\nname = "u"\nexpr = "sigmoid(2*a + b) * tanh(a)"\n'
            '[[graph.nodes]]\nname = "v"\nexpr = "log(1 + a^2) / (2 - cos(b)) - relu(b + 2)"\n'
            '[[graph.nodes]]\nname = "f"\nexpr = "u * v + exp(-u) + sin(v)^2"\n'
        )
    )
    trace = graph.run(lesson)
    for name in ("a", "b"):
        assert trace.gradients[name] == pytest.approx(finite_difference(lesson, name), rel=1e-6)


GRAPH_ERRORS = {
    "unknown name": ('expr = "q * 2"', "graph.nodes[1].expr", "unknown name 'q'"),
    "use before definition": (
        'expr = "y + s"',
        "graph.nodes[1].expr",
        "uses 'y' before it is defined",
    ),
    "cycle": ('expr = "z + s"', "graph.nodes[1].expr", "cycle: x → z → x"),
    "bad syntax": ('expr = "s ^^ 2"', "graph.nodes[1].expr", "cannot read"),
    "division by zero": (
        'expr = "1 / (s - 0.5)"',
        "graph.nodes[1].expr",
        "division by zero at the given inputs",
    ),
    "log of a non-positive number": (
        'expr = "log(s - 1)"',
        "graph.nodes[1].expr",
        "not defined at the given inputs",
    ),
}


@pytest.mark.parametrize("case", sorted(GRAPH_ERRORS))
def test_bad_graph_lessons_are_located(case, write, capsys):
    replacement, where, message = GRAPH_ERRORS[case]
    path = write(CASE_2.replace('expr = "s^2"', replacement))
    assert main(["check", path]) == 2
    err = capsys.readouterr().err
    assert where in err and message in err and "lesson.toml:7:" in err, err


def test_graph_output_and_names_are_checked(write, capsys):
    assert main(["check", write(CASE_2.replace('output = "z"', 'output = "w"'))]) == 2
    assert "'w' is not a node" in capsys.readouterr().err
    assert main(["check", write(CASE_2.replace('name = "y"', 'name = "exp"'))]) == 2
    assert "is the name of a function" in capsys.readouterr().err
    assert main(["check", write(CASE_2.replace('name = "y"', 'name = "x"'))]) == 2
    assert "'x' is already defined" in capsys.readouterr().err


CURRICULUM = [p for p in shipped_lessons() if p.stem[:2].isdigit()]


def test_the_curriculum_is_nine_ordered_lessons():
    assert [p.stem[:2] for p in CURRICULUM] == [f"{i:02}" for i in range(1, 10)]
    assert (CURRICULUM[0].parent / "lecture-example.toml").exists()


@pytest.mark.parametrize("path", shipped_lessons(), ids=lambda p: p.stem)
def test_every_shipped_lesson_checks_and_replays_its_key_with_every_step_right(path, write, capsys):
    assert main(["check", str(path)]) == 0
    lesson = load(str(path))
    lines = ["[answers]"] + [f'"{s.id}" = "{s.shown}"' for s in steps.asked(steps.build(lesson))]
    answers = write("\n".join(lines) + "\n", name="key.toml")
    capsys.readouterr()
    assert main(["replay", str(path), answers, "--json", "--strict"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["correct"] == data["steps"] > 0


@pytest.mark.parametrize("path", shipped_lessons(), ids=lambda p: p.stem)
def test_every_shipped_lesson_has_chinese_narration(path):
    lesson = load(str(path))
    zh = lesson.narration.get("zh")
    assert isinstance(zh, dict) and zh.get("title") and zh.get("intro"), path.stem
    for key, text in lesson.narration.items():
        if isinstance(text, str):
            assert zh.get(key), f"{path.stem}: narration.{key} has no Chinese"


@pytest.mark.parametrize("path", shipped_lessons(), ids=lambda p: p.stem)
async def test_every_shipped_lesson_plays_through_in_the_tutor(path):
    app = TutorApp(load(str(path)), autoplay=0.001, cursor_blink=False, persist=False)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        await until_summary(pilot)
        assert screen.session.finished and screen.session.score().first_try == len(
            screen.session.steps
        )


def test_language_defaults_from_the_locale():
    assert default_language({"LANG": "zh_CN.UTF-8"}) == "zh"
    assert default_language({"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}) == "en"
    assert default_language({}) == "en"


def test_steps_and_key_speak_chinese(capsys):
    assert main(["key", "lecture-example", "--json", "--lang", "zh"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["steps"][0]["asks"] == "z₁：第 1 层的第 1 个神经元的加权输入"
    set_language("zh")
    assert t("tui.right") == "✓ 正确："
    assert "运算放大器" in steps.build(load("lecture-example"))[20].asks


def test_practice_with_a_seed_is_reproducible_and_valid(tmp_path, capsys):
    first, second = tmp_path / "x.toml", tmp_path / "y.toml"
    assert main(["practice", "--seed", "7", "--save", str(first)]) == 0
    assert main(["practice", "--seed", "7", "--save", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()
    assert main(["check", str(first)]) == 0
    assert main(["practice", "--seed", "8", "--save", str(second)]) == 0
    assert first.read_bytes() != second.read_bytes()


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("loss", ["squared_error", "cross_entropy"])
def test_practice_networks_keep_their_gradients(activation, loss, tmp_path):
    from bptui import engine

    path = tmp_path / "p.toml"
    assert main(["practice", "--shape", "2-3-2", "--activation", activation, "--loss", loss,
                 "--seed", "11", "--save", str(path)]) == 0  # fmt: skip
    lesson = load(str(path))
    for layer in engine.run(lesson).samples[0].layers[:-1]:
        assert layer.gain.min() >= 0.1
    text = path.read_text(encoding="utf-8")
    assert all(f"{v:g}" in text for v in lesson.samples[0].x)  # short decimals, as written


def test_practice_refuses_a_bad_shape(capsys):
    assert main(["practice", "--shape", "2-x", "--save", "nowhere.toml"]) == 2
    assert "--shape" in capsys.readouterr().err


def test_practice_save_to_an_unwritable_place_is_a_message(tmp_path, capsys):
    assert main(["practice", "--seed", "1", "--save", str(tmp_path / "missing" / "x.toml")]) == 2
    err = capsys.readouterr().err
    assert "missing" in err and "Traceback" not in err


@pytest.mark.parametrize("name", ["01-chain-rule-case-1", "02-chain-rule-case-2"])
def test_every_graph_step_follows_from_its_operands(name):
    from bptui.expr import evaluate

    for step in steps.build(load(name)):
        exact = evaluate(step.expression, {o.symbol: o.value for o in step.operands})
        assert exact == pytest.approx(step.value, rel=1e-12, abs=1e-15), step.id
        assert step.compute(step.values("exact")) == pytest.approx(step.value, rel=1e-12, abs=1e-15)
