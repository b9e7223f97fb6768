"""`bptui practice`: a fresh network with friendly numbers, as a lesson file.

Friendly: weights and inputs are multiples of 0.5, targets are 0, 0.5 or 1 (one-hot with
cross-entropy), and every hidden neuron's gain σ'(z) stays well away from zero, so no gradient
vanishes before the learner reaches it. The same seed always gives the same file.
"""

from __future__ import annotations

import random

from bptui.lesson import ACTIVATIONS, MAX_INPUTS, MAX_LAYERS, MAX_WIDTH, LessonError, parse
from bptui.progress import toml_string

PRACTICE_ACTIVATIONS = tuple(a for a in ACTIVATIONS if a != "softmax")
WEIGHTS = (-2.0, -1.5, -1.0, -0.5, 0.5, 1.0, 1.5, 2.0)
BIASES = (-1.0, -0.5, 0.0, 0.5, 1.0)
INPUTS = (-1.0, -0.5, 0.5, 1.0)
ATTEMPTS = 500


def parse_shape(text: str) -> tuple[int, ...]:
    try:
        shape = tuple(int(part) for part in text.split("-"))
    except ValueError:
        shape = ()
    if len(shape) < 2 or len(shape) - 1 > MAX_LAYERS:
        raise LessonError(
            text,
            f"a shape is sizes joined by '-', e.g. 2-3-2, with 1 to {MAX_LAYERS} layers",
            "--shape",
        )
    if not 1 <= shape[0] <= MAX_INPUTS or not all(1 <= n <= MAX_WIDTH for n in shape[1:]):
        raise LessonError(
            text, f"inputs may be 1 to {MAX_INPUTS}, layers 1 to {MAX_WIDTH} wide", "--shape"
        )
    return shape


def _number(value: float) -> str:
    return f"{value:g}"


def _row(values) -> str:
    return "[" + ", ".join(_number(v) for v in values) + "]"


MIN_GAIN = 0.1  # σ'(z) of every hidden neuron: below this the gradient all but vanishes


def _friendly(text: str, activation: str) -> bool:
    """Every hidden neuron's gain, as the engine computes it, passes a gradient on."""
    from bptui import engine

    lesson = parse(text, source="<practice>")  # what we write must pass `bptui check`
    for sample in engine.run(lesson).samples:
        for layer in sample.layers[:-1]:
            if layer.gain.min() < MIN_GAIN:
                return False
            if activation == "relu" and layer.z.min() <= 0.25:  # clearly alive, not at the kink
                return False
    return True


NETWORK_SKILLS = ("z", "activation", "loss", "dl_dy", "gain", "op_amp_sum", "dl_dz", "dl_dw",
                  "dl_db", "total", "update")  # fmt: skip


def generate(
    shape: tuple[int, ...], activation: str, loss: str, seed: int, focus: tuple[str, ...] = ()
) -> str:
    """The lesson file's text; with `focus`, only those skills' steps are asked (two samples
    when the sum over samples is one of them)."""
    rng = random.Random(seed)
    for _ in range(ATTEMPTS):
        text = _candidate(rng, shape, activation, loss, seed, focus)
        if _friendly(text, activation):
            break
    return text


def _candidate(rng: random.Random, shape, activation: str, loss: str, seed: int, focus=()) -> str:
    weights = [[[rng.choice(WEIGHTS) for _ in range(shape[i])] for _ in range(shape[i + 1])]
               for i in range(len(shape) - 1)]  # fmt: skip
    biases = [[rng.choice(BIASES) for _ in range(n)] for n in shape[1:]]
    # a skill asked once a sample gets more samples, so that it is asked more than once
    count = 3 if {"loss", "dl_dy"} & set(focus) else 2 if "total" in focus else 1
    samples = [_sample(rng, shape, loss) for _ in range(count)]
    name = "-".join(map(str, shape))
    made = f"--shape {name} --activation {activation} --loss {loss} --seed {seed}"
    lines = [
        f"# Made by: bptui practice {made}" + (f" --focus {','.join(focus)}" if focus else ""),
        f"title = {toml_string(f'Practice: a {name} {activation} network (seed {seed})')}",
        f"summary = {toml_string(f'A fresh {name} network with friendly numbers, loss {loss}.')}",
        "",
        "[display]",
        "decimals = 2",
        "",
        *(["[tutor]", "focus = [" + ", ".join(map(toml_string, focus)) + "]", ""] if focus else []),
        "[network]",
        "inputs = " + "[" + ", ".join(toml_string(f"x{i + 1}") for i in range(shape[0])) + "]",
    ]
    for index, (w, b) in enumerate(zip(weights, biases, strict=True)):
        last = index == len(weights) - 1
        layer_activation = "softmax" if last and loss == "cross_entropy" else activation
        lines += [
            "",
            "[[network.layers]]",
            f"activation = {toml_string(layer_activation)}",
            "weights = [" + ", ".join(_row(row) for row in w) + "]",
            f"biases = {_row(b)}",
        ]
    lines += [
        "",
        "[training]",
        f"loss = {toml_string(loss)}",
        "learning_rate = 0.5",
    ]
    for x, target in samples:
        lines += ["", "[[training.samples]]", f"x = {_row(x)}", f"target = {_row(target)}"]
    return "\n".join(lines) + "\n"


def _sample(rng: random.Random, shape, loss: str) -> tuple[list[float], list[float]]:
    x = [rng.choice(INPUTS) for _ in range(shape[0])]
    outputs = shape[-1]
    if loss == "cross_entropy":
        target = [0.0] * outputs
        target[rng.randrange(outputs)] = 1.0
    else:
        target = [rng.choice((0.0, 0.5, 1.0)) for _ in range(outputs)]
    return x, target


def weakest_focus(records: dict) -> tuple[str, ...]:
    """The weakest skill a practice network can ask (none practised: no focus)."""
    from bptui.mastery import weakest

    ranked = [s for s in weakest(records) if s in NETWORK_SKILLS]
    return tuple(ranked[:1])
