"""The step model as `bptui key` shows it: order, ids, the JSON shape, the shipped lessons."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bptui import steps
from bptui.cli import main
from bptui.lesson import PHASES, load, parse, shipped_lessons

from .conftest import LECTURE, SMALL


def key_json(capsys, spec: str) -> dict:
    assert main(["key", spec, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_key_json_has_the_fixed_shape(capsys):
    data = key_json(capsys, str(LECTURE))
    assert set(data) >= {"title", "samples", "total", "updated", "steps"}
    sample = data["samples"][0]
    assert set(sample) >= {"x", "target", "loss", "layers"}
    assert len(sample["layers"]) == 3  # the first hidden layer first, the output last
    layer = sample["layers"][1]
    assert set(layer) >= {"z", "a", "dl_dz", "dl_dw", "dl_db"}
    assert len(layer["dl_dw"]) == 2 and len(layer["dl_dw"][0]) == 2
    assert set(data["total"]) == {"loss", "layers"}
    assert set(data["updated"]["layers"][0]) == {"weights", "biases"}
    for step in data["steps"]:
        assert {"id", "phase", "value"} <= set(step)
        assert isinstance(step["value"], float)


def test_key_json_reproduces_the_seed_table(capsys):
    data = key_json(capsys, "lecture-example")
    layers = data["samples"][0]["layers"]
    shown = [[round(v, 2) for v in layer[q]] for layer in layers for q in ("z", "a")]
    assert shown == [[4, -2], [0.98, 0.12], [1.84, -2.08], [0.86, 0.11], [0.48, 1.58], [0.62, 0.83]]
    ids = [s["id"] for s in data["steps"]]
    assert len(ids) >= 20 and len(set(ids)) == len(ids)


def test_dl_dw_entry_belongs_to_the_weight_at_the_same_place(capsys):
    data = key_json(capsys, "lecture-example")
    sample = data["samples"][0]
    # weights[j][k] of layer 2 comes from unit k of layer 1: ∂l/∂w = a_k · ∂l/∂z_j.
    a1 = sample["layers"][0]["a"]
    dz2 = sample["layers"][1]["dl_dz"]
    for j in range(2):
        for k in range(2):
            assert sample["layers"][1]["dl_dw"][j][k] == pytest.approx(a1[k] * dz2[j], rel=1e-12)
    updated = data["updated"]["layers"][2]["weights"][0][1]
    assert updated == pytest.approx(-1 - 0.5 * sample["layers"][2]["dl_dw"][0][1], rel=1e-12)


def test_total_sums_the_samples(write, capsys):
    two = SMALL + "[[training.samples]]\nx = [0.5, 2]\ntarget = [0]\n"
    data = key_json(capsys, write(two))
    per = [s["layers"][0]["dl_dw"][1][0] for s in data["samples"]]
    assert data["total"]["layers"][0]["dl_dw"][1][0] == pytest.approx(sum(per), rel=1e-12)
    assert data["total"]["loss"] == pytest.approx(
        sum(s["loss"] for s in data["samples"]), rel=1e-12
    )
    assert any(s["phase"] == "total" for s in data["steps"])


def test_lecture_step_order(lecture):
    ids = [s.id for s in steps.asked(steps.build(lecture))]
    assert ids[:4] == [
        "s1.forward.L1.n1.z",
        "s1.forward.L1.n1.a",
        "s1.forward.L1.n2.z",
        "s1.forward.L1.n2.a",
    ]
    assert ids[12] == "s1.loss"
    assert ids[13:19] == [
        "s1.output.L3.n1.dl_dy",
        "s1.output.L3.n1.gain",
        "s1.output.L3.n1.dl_dz",
        "s1.output.L3.n2.dl_dy",
        "s1.output.L3.n2.gain",
        "s1.output.L3.n2.dl_dz",
    ]
    # Run from the output: the op-amps of layer 2 come before those of layer 1.
    backward = [i for i in ids if ".backward." in i]
    assert backward[0] == "s1.backward.L2.n1.gain" and backward[-1] == "s1.backward.L1.n2.dl_dz"
    assert [i.split(".")[-1] for i in backward[:3]] == ["gain", "sum", "dl_dz"]
    assert ids[-1] == "update.L3.n2.b"
    assert len(ids) == 67
    phases = [s.phase for s in steps.asked(steps.build(lecture))]
    assert phases == sorted(phases, key=PHASES.index)  # one sample: phases never go back


def test_steps_show_the_chain_rule_products(lecture):
    by_id = {s.id: s for s in steps.build(lecture)}
    z3 = by_id["s1.forward.L2.n1.z"]
    assert f"{z3.symbol} = {z3.formula}" == "z₃ = w₃₁·a₁ + w₃₂·a₂ + b₃"
    assert z3.numbers == "2·0.98 + (−1)·0.12 + 0"
    assert "∂z₃/∂w₃₁ = a₁" in z3.note  # ∂z/∂w is the input on that edge
    opamp = by_id["s1.backward.L2.n1.sum"]
    assert opamp.formula == "w₅₃·∂l/∂z₅ + w₆₃·∂l/∂z₆"  # the same weights as the forward edges
    assert opamp.numbers == "3·(−0.09) + (−1)·0.12"
    dz = by_id["s1.backward.L2.n1.dl_dz"]
    assert dz.formula == "σ'(z₃)·∂l/∂a₃" and dz.numbers == "0.12·(−0.39)"
    grad = by_id["s1.gradient.L2.n1.w1"]
    assert grad.formula == "a₁·∂l/∂z₃" and grad.value == pytest.approx(
        0.98201 * -0.045763, rel=1e-4
    )


def test_building_twice_gives_the_same_steps(lecture):
    first, second = steps.build(lecture), steps.build(lecture)
    texts = [(s.id, s.asks, s.formula, s.numbers, s.shown) for s in first]
    assert texts == [(s.id, s.asks, s.formula, s.numbers, s.shown) for s in second]
    assert [s.value for s in first] == pytest.approx([s.value for s in second], rel=1e-15)


def test_steps_not_asked_are_left_out_of_the_key(write, capsys):
    data = key_json(capsys, write(SMALL + '[tutor]\nask = ["backward", "gradient"]\n'))
    assert {s["phase"] for s in data["steps"]} == {"backward", "gradient"}


def test_softmax_lesson_steps(write):
    text = (
        SMALL.replace('"squared_error"', '"cross_entropy"')
        .replace(
            'activation = "sigmoid"\nweights = [[2, -1]]\nbiases = [0]',
            'activation = "softmax"\nweights = [[2, -1], [1, 1]]\nbiases = [0, 0]',
        )
        .replace("target = [1]", "target = [1, 0]")
    )
    lesson = load(write(text))
    ids = [s.id for s in steps.build(lesson)]
    assert "s1.output.L2.n1.dl_dz" in ids and "s1.output.L2.n1.dl_dy" not in ids
    a = next(s for s in steps.build(lesson) if s.id == "s1.forward.L2.n1.a")
    assert a.formula == "e^z₃ / (e^z₃ + e^z₄)"


def test_every_shipped_lesson_is_valid_and_has_unique_ids():
    assert shipped_lessons(), "no lessons shipped"
    for path in shipped_lessons():
        lesson = load(str(path))
        ids = [s.id for s in steps.build(lesson)]
        assert len(ids) == len(set(ids)), path


def test_rich_key_prints_every_phase(capsys):
    assert main(["key", "lecture-example"]) == 0
    out = capsys.readouterr().out
    for title in (
        "Forward pass",
        "Loss",
        "output layer",
        "op-amps",
        "Gradients",
        "gradient descent",
    ):
        assert title in out
    assert "0.98" in out and "s1.backward.L1.n2.dl_dz" in out


def test_installed_command_works_from_another_folder(tmp_path):
    # After `pip install .` the lessons ship inside the package: no source checkout needed.
    script = Path(sys.executable).with_name("bptui")
    assert script.exists(), "install the package first (see the README's test command)"
    result = subprocess.run(
        [str(script), "key", "lecture-example", "--json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["title"] == "The lecture's example network"
    module = subprocess.run(
        [sys.executable, "-m", "bptui", "check", "lecture-example"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert module.returncode == 0, module.stderr


def test_schema_command_prints_a_schema_every_shipped_lesson_passes(capsys):
    jsonschema = pytest.importorskip("jsonschema")
    import tomllib

    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for path in shipped_lessons():
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        assert not list(validator.iter_errors(data)), path
    broken = tomllib.loads(SMALL.replace('"sigmoid"', '"swish"', 1))
    assert list(validator.iter_errors(broken))
    parse(SMALL)  # and the checker accepts what the schema accepts


HEADLESS = (
    "bptui.cli",
    "bptui.engine",
    "bptui.steps",
    "bptui.lesson",
    "bptui.key",
    "bptui.answers",
    "bptui.progress",
    "bptui.replay",
    "bptui.report",
    "bptui.answers_file",
    "bptui.sheet",
    "bptui.mastery",
    "bptui.practice",
)


def test_headless_modules_do_not_import_textual():
    # The key, check and replay commands start fast and run without a terminal (harlequin's check).
    code = (
        f"import sys, importlib; [importlib.import_module(m) for m in {HEADLESS!r}];"
        "from bptui.cli import main; main(['key', 'lecture-example', '--json']);"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'), file=sys.stderr)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "[]"
    assert json.loads(result.stdout)["steps"]
