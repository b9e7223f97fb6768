"""The course: chain-rule graph lessons, the curriculum, two languages, practice."""

from __future__ import annotations

import json
import math
import re
from dataclasses import replace

import pytest

from bptui import glossary, graph, i18n, steps
from bptui.answers import grade
from bptui.cli import main
from bptui.expr import calculate
from bptui.i18n import default_language, set_language, t
from bptui.lesson import PHASES, GraphLesson, load, shipped_lessons
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


def test_the_curriculum_is_the_lecture_then_what_goes_beyond_it():
    """01–09 follow the lecture; 10–13 go on from it: vanishing gradients (sigmoid, tanh, ReLU),
    the matrix view, a numerical check, the exam. lecture-example stays last in the picker."""
    numbers = [p.stem.split("-")[0] for p in CURRICULUM]
    assert numbers == [f"{i:02}" for i in range(1, 10)] + ["10", "10a", "10b", "11", "12", "13"]
    assert [p.stem for p in shipped_lessons()][-1] == "lecture-example"


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
    asks = steps.build(load("lecture-example"))[20].asks  # the lecture's "op-amp", kept in English
    assert "op-amp" in asks and "加权和" in asks


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


# --- what the lessons beyond the lecture claim -------------------------------------------------

VANISHING = ["10-vanishing-gradients", "10a-vanishing-gradients-tanh", "10b-dead-relu"]
# A lesson's introduction that looks back on the lesson before quotes that lesson's numbers.
LOOKS_BACK = {"10a-vanishing-gradients-tanh": "10-vanishing-gradients",
              "10b-dead-relu": "10a-vanishing-gradients-tanh"}  # fmt: skip
STATES = re.compile(r"((?:∂l/∂)?[a-z][₀-₉]+) = (−?\d+(?:\.\d+)?)")  # "∂l/∂z₅ = −0.09", "z₁ = 4"


def narrations(lesson):
    """(key, text) for each narration text of a lesson, in English and in Chinese."""
    for table in (lesson.narration, lesson.narration.get("zh", {})):
        for key, text in table.items():
            if isinstance(text, str) and key not in ("title", "summary"):
                yield key, text


def values(name: str) -> dict[str, float]:
    return {s.id: s.value for s in steps.build(load(name))}


@pytest.mark.parametrize("name", VANISHING)
def test_every_number_the_narration_states_is_the_engines_and_already_on_screen(name):
    """A narration is shown beside the first step of its phase: each "∂l/∂z₅ = −0.09" in it is
    the value shown for that step, and a step the learner has by then (or, in an introduction
    looking back, a value of the lesson before)."""
    lesson = load(name)
    built = steps.build(lesson)
    stated = 0
    for key, text in narrations(lesson):
        first = next(s for s in built if s.asked and key in ("intro", s.phase))
        pool = built[: built.index(first)]
        if key == "intro" and name in LOOKS_BACK:
            pool += steps.build(load(LOOKS_BACK[name]))
        shown: dict[str, set[str]] = {}
        for step in pool:
            shown.setdefault(step.symbol, set()).add(step.shown)
        for symbol, number in STATES.findall(text):
            assert number in shown.get(symbol, set()), (name, key, symbol, number)
            stated += 1
    assert stated >= 6  # the comparison is made with numbers, in both languages


def test_the_vanishing_factors_the_narration_states_are_the_engines():
    sigmoid, tanh = values(VANISHING[0]), values(VANISHING[1])

    def largest(v: dict, layer: int) -> float:
        return max(abs(x) for k, x in v.items() if f".L{layer}." in k and k.endswith("dl_dz"))

    def one(v: dict) -> float:  # ∂l/∂z₁ against ∂l/∂z₅
        return abs(v["s1.output.L3.n1.dl_dz"]) / abs(v["s1.backward.L1.n1.dl_dz"])

    sig_layers, sig_one = round(largest(sigmoid, 3) / largest(sigmoid, 1)), round(one(sigmoid))
    tanh_layers, tanh_one = round(largest(tanh, 3) / largest(tanh, 1)), round(one(tanh))
    after_sigmoid, after_tanh = load(VANISHING[1]).narration, load(VANISHING[2]).narration
    for factor in (sig_layers, sig_one):
        assert f"{factor} times" in after_sigmoid["intro"]
        assert f"{factor} 倍" in after_sigmoid["zh"]["intro"]
    for factor in (tanh_one, tanh_layers):
        assert f"{factor} times" in after_tanh["intro"]
        assert f"{factor} 倍" in after_tanh["zh"]["intro"]
    assert f"({sig_one} times with sigmoid)" in after_tanh["intro"]
    assert f"({sig_layers} times with sigmoid)" in after_tanh["intro"]
    # ... and the reasons given: every σ' is at most ¼, and ∂l/∂z shrinks at every sigmoid layer
    gains = [x for k, x in sigmoid.items() if k.endswith("gain")]
    assert len(gains) == 6 and max(gains) <= 0.25
    assert largest(sigmoid, 3) > largest(sigmoid, 2) > largest(sigmoid, 1)
    # tanh: an unsaturated neuron passes more than σ' ever can, a saturated one far less
    assert tanh["s1.backward.L2.n2.gain"] > 0.25
    assert tanh["s1.backward.L1.n1.gain"] < sigmoid["s1.backward.L1.n1.gain"] / 10


def test_a_dead_relu_passes_nothing_and_no_weight_it_touches_learns():
    v = values(VANISHING[2])
    assert {v[k] for k in v if k.endswith("gain") and ".backward." in k} == {0.0, 1.0}
    for layer, j in ((1, 2), (2, 2)):  # z₂ = −2 and z₄ = −8: dead
        assert v[f"s1.forward.L{layer}.n{j}.z"] < 0
        assert v[f"s1.backward.L{layer}.n{j}.dl_dz"] == pytest.approx(0)
        into = [k for k in v if k.startswith(f"s1.gradient.L{layer}.n{j}.")]
        out_of = [
            k for k in v if k.startswith(f"s1.gradient.L{layer + 1}.") and k.endswith(f"w{j}")
        ]
        assert len(into) == 3 and len(out_of) == 2
        assert [v[k] for k in into + out_of] == pytest.approx([0.0] * 5)
    # the live path: gain 1, so only the weights scale it, and here they make it grow
    live = [v["s1.output.L3.n1.dl_dz"], v["s1.backward.L2.n1.dl_dz"], v["s1.backward.L1.n1.dl_dz"]]
    assert 0 < live[0] < live[1] < live[2]


def test_the_matrix_view_writes_out_this_lessons_matrices():
    lesson = load("11-matrix-view")
    w1, w2 = (layer.weights for layer in lesson.layers)
    assert len(w1) != len(w1[0]) and len(w2) != len(w2[0])  # 3×2 and 2×3: W and Wᵀ differ

    def rows(text: str) -> list[list[tuple[float, ...]]]:
        found = [re.findall(r"\[([^\]]*)\]", line) for line in text.splitlines() if "[ " in line]
        return [[tuple(calculate(n) for n in group.split()) for group in line] for line in found]

    by = {s.id: s for s in steps.build(lesson)}
    for narration in (lesson.narration, lesson.narration["zh"]):
        intro = rows(narration["intro"])
        assert [line[0] for line in intro] == list(w1)
        assert [line[1] for line in intro if len(line) > 1] == list(w2)
        transposed = [line[0] for line in rows(narration["backward"])]
        assert transposed == list(zip(*w2, strict=True))
        for j in (1, 2):  # δ² is known when the backward pass begins
            assert by[f"s1.output.L2.n{j}.dl_dz"].shown in narration["backward"]
        known = [f"s1.backward.L1.n{j}.dl_dz" for j in (1, 2, 3)] + ["s1.output.L2.n1.dl_dz"]
        for step_id in known + [f"s1.forward.L1.n{j}.a" for j in (1, 2, 3)]:
            assert by[step_id].shown in narration["gradient"], step_id
    assert lesson.ask == ("backward", "gradient")  # δ¹ and a¹ are known when gradient begins


def test_the_numerical_slope_agrees_with_the_chain_rule_as_the_narration_says():
    lesson = load("12-numerical-gradient-check")
    by = {s.id: s for s in steps.build(lesson)}
    slope, dl_dw = by["values.slope"], by["chain.w"]
    inputs = dict(lesson.inputs)
    # the chain narration names the learner's slope, but no number that tells ∂l/∂w; and Δz = x·ε
    for narration in (lesson.narration, lesson.narration["zh"]):
        assert "(l_new − l)/eps" in narration["chain"] and slope.shown not in narration["chain"]
        z_change = by["values.z_new"].value - by["values.z"].value
        assert z_change == pytest.approx(inputs["x"] * inputs["eps"])
        assert f"z_new − z = {z_change:g} = x·ε" in narration["chain"]
    # they agree to two decimal places, not to three ...
    assert round(slope.value, 2) == pytest.approx(round(dl_dw.value, 2))
    assert abs(slope.value - dl_dw.value) > 0.001
    # ... also worked from the rounded numbers on screen, which the tutor accepts for the slope
    worked = f"({by['values.l_new'].shown} - {by['values.l'].shown})/{inputs['eps']}"
    assert grade(slope, worked).correct
    assert round(calculate(worked), 2) == pytest.approx(round(dl_dw.value, 2))
    # the places asked keep the difference l_new − l: the slope is not taken for ∂l/∂w
    assert by["values.l_new"].places >= 6 and not grade(dl_dw, slope.shown).correct
    # the gap shrinks with ε, as the narration says
    smaller = replace(
        lesson, inputs=tuple((n, 0.001 if n == "eps" else v) for n, v in lesson.inputs)
    )
    trace = graph.run(smaller)
    gap, smaller_gap = abs(slope.value - dl_dw.value), abs(trace.values["slope"] - dl_dw.value)
    assert 5 < gap / smaller_gap < 15


def test_the_exam_is_a_network_never_seen_not_square_mixed_two_samples_blank():
    exam = load("13-exam")
    shapes = [(len(layer.weights), len(layer.weights[0])) for layer in exam.layers]
    assert shapes == [(2, 3), (2, 2)]  # W¹ and (W¹)ᵀ differ in shape
    assert [layer.activation for layer in exam.layers] == ["tanh", "sigmoid"]
    assert len(exam.samples) == 2 and exam.scaffold == "blank" and exam.ask == PHASES
    others = [load(str(p)) for p in shipped_lessons() if p.stem != "13-exam"]
    seen = {layer.weights for o in others if not isinstance(o, GraphLesson) for layer in o.layers}
    assert not seen & {layer.weights for layer in exam.layers}
    asked = steps.asked(steps.build(exam))
    assert asked[0].id == "s1.forward.L1.n1.z" and asked[-1].id.startswith("update.")
    assert {s.phase for s in asked} == set(PHASES)
    # the narration says it is the exam, and what is expected of the learner
    assert "exam" in exam.narration["intro"] and "from the picture" in exam.narration["intro"]
    assert "期末考" in exam.narration["zh"]["intro"] and "从图上" in exam.narration["zh"]["intro"]


# --- the course as the lecture speaks it (course-editor) ------------------------------------


def chinese_texts():
    """Every Chinese text of the tutor: the i18n catalog, the glossary's tables, the narration."""
    found = [("i18n." + k, v) for k, v in i18n.ZH.items()]
    for name in ("PHASE_TITLES_ZH", "PHASE_NAMES_ZH", "RULE_HINTS_ZH", "MISTAKES_ZH"):
        found += [(f"{name}.{k}", v) for k, v in getattr(glossary, name).items()]
    for path in shipped_lessons():
        zh = load(str(path)).narration.get("zh", {})
        found += [(f"{path.stem}.{k}", v) for k, v in zh.items() if isinstance(v, str)]
    return found


# Words the lecture does not use for its own terms: it says Forward pass, Backward pass, loss,
# bias, data (一笔data) and case 1 / case 2; the program is no 导师.
NOT_THE_LECTURES = ["前向传播", "前向计算", "损失", "偏置", "数据", "情形", "导师", "导数"]


CHINESE = chinese_texts()


@pytest.mark.parametrize("where,text", CHINESE, ids=[where for where, _ in CHINESE])
def test_chinese_speaks_the_lectures_terms(where, text):
    for word in NOT_THE_LECTURES:
        assert word not in text, (where, word)
    # 反向传播 names backpropagation only (学反向传播, 反向传播（backpropagation）), never a pass.
    rest = text.replace("学反向传播", "").replace("反向传播（backpropagation）", "")
    assert "反向传播" not in rest, where
    # 运算放大器 only as the gloss of the lecture's op-amp.
    assert "运算放大器" not in text or "op-amp（运算放大器）" in text, where


def test_chinese_keeps_placeholders():
    for key, english in i18n.EN.items():
        if key in i18n.ZH:
            assert set(re.findall(r"\{\w+\}", english)) == set(
                re.findall(r"\{\w+\}", i18n.ZH[key])
            ), key
    for english, chinese in ((glossary.MISTAKES, glossary.MISTAKES_ZH),):
        for key in english:
            assert set(re.findall(r"\{\w+\}", english[key])) == set(
                re.findall(r"\{\w+\}", chinese.get(key, english[key]))
            ), key


def test_the_case_1_lesson_hints_speak_of_case_1():
    by_id = {s.id: s for s in steps.build(load("01-chain-rule-case-1"))}
    for step in steps.asked(list(by_id.values())):
        assert "case 2" not in " ".join(step.hints).lower(), step.id
    assert by_id["chain.x"].hints[0].startswith("Case 1")
    case_2 = {s.id: s for s in steps.build(load("02-chain-rule-case-2"))}
    assert case_2["chain.s"].hints[0].startswith("Case 2")


def test_the_course_fades_its_scaffold():
    levels = {p.stem[:2]: load(str(p)).scaffold for p in shipped_lessons() if p.stem[:2] < "10"}
    assert {levels[n] for n in ("01", "02", "03", "04")} == {"numbers"}
    assert {levels[n] for n in ("05", "06", "07", "08", "09")} == {"formula"}
    assert load("lecture-example").scaffold == "numbers"  # the README opens it for newcomers


def test_one_samples_loss_is_explained_before_the_first_dl_dw():
    for name, key in (("03-one-neuron", "intro"), ("lecture-example", "loss")):
        lesson = load(name)
        for text in (lesson.narration[key], lesson.narration["zh"][key]):
            assert "L = Σₙ lⁿ" in text and "∂L/∂w = Σₙ ∂lⁿ/∂w" in text, name


def test_the_op_amp_is_introduced_before_it_is_used():
    for name in ("03-one-neuron", "05-op-amp-output-layer"):
        lesson = load(name)
        keys = ("intro", "loss", "output")
        first = next(k for k in keys if "op-amp" in lesson.narration.get(k, ""))
        assert "amplifier" in lesson.narration[first], name
        assert "op-amp（运算放大器）" in lesson.narration["zh"][first], name


def test_softmax_is_beyond_the_lecture_and_not_case_1():
    lesson = load("09-softmax-cross-entropy")
    assert lesson.title.startswith("Beyond the lecture")
    assert "still case 1" not in lesson.narration["intro"]
    assert "Σᵢ ∂yᵢ/∂zⱼ" in lesson.narration["intro"]
