"""The float64 backprop engine: forward pass, op-amp backward pass, gradients and one update.

It knows lessons and numbers, nothing of steps or screens. Every value the tutor shows comes from
here. The formulas are those of the seed (lecture notes, section 2):
    z = W·a + b,  a = σ(z)                                    forward
    ∂l/∂z = σ'(z)·∂l/∂y                                       output layer (case 1)
    ∂l/∂z = σ'(z)·Σₖ wₖⱼ·∂l/∂zₖ                               the op-amp neuron (case 2)
    ∂l/∂w = a·∂l/∂z,  ∂l/∂b = ∂l/∂z,  ∂L/∂w = Σₙ ∂lⁿ/∂w,  w ← w − η·∂L/∂w
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from bptui.lesson import Layer, Lesson, Sample


def sigmoid(z: np.ndarray) -> np.ndarray:
    # exp of a non-positive number only: no overflow for any z.
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - np.max(z))
    return e / e.sum()


def log_softmax(z: np.ndarray) -> np.ndarray:
    shifted = z - np.max(z)
    return shifted - np.log(np.exp(shifted).sum())


# One rule a line: the activation, and its derivative from z and a = σ(z).
ACTIVATION: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "sigmoid": sigmoid,
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0.0),
    "linear": lambda z: z.copy(),
    "softmax": softmax,
}
DERIVATIVE: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "sigmoid": lambda z, a: a * (1.0 - a),
    "tanh": lambda z, a: 1.0 - a * a,
    "relu": lambda z, a: (z > 0).astype(np.float64),  # relu'(0) = 0
    "linear": lambda z, a: np.ones_like(z),
    # softmax has no elementwise derivative; with cross-entropy, ∂l/∂z = y − ŷ directly.
}


@dataclass(frozen=True)
class LayerTrace:
    inputs: np.ndarray  # the activations feeding this layer: ∂z/∂w for its weights
    z: np.ndarray
    a: np.ndarray
    gain: np.ndarray | None  # σ'(z); None for softmax
    weighted_sum: np.ndarray | None  # Σₖ wₖⱼ·∂l/∂zₖ from the layer after; None at the output
    dl_dz: np.ndarray
    dl_dw: np.ndarray
    dl_db: np.ndarray


@dataclass(frozen=True)
class SampleTrace:
    x: np.ndarray
    target: np.ndarray
    loss: float
    dl_dy: np.ndarray | None  # None for softmax with cross-entropy
    layers: tuple[LayerTrace, ...]


@dataclass(frozen=True)
class Trace:
    samples: tuple[SampleTrace, ...]
    loss: float
    dl_dw: tuple[np.ndarray, ...]  # ∂L/∂w = Σₙ ∂lⁿ/∂w, per layer
    dl_db: tuple[np.ndarray, ...]
    weights: tuple[np.ndarray, ...]  # the lesson's, before the update
    biases: tuple[np.ndarray, ...]
    updated_weights: tuple[np.ndarray, ...]
    updated_biases: tuple[np.ndarray, ...]


def parameters(lesson: Lesson) -> tuple[list[np.ndarray], list[np.ndarray]]:
    weights = [np.array(layer.weights, dtype=np.float64) for layer in lesson.layers]
    biases = [np.array(layer.biases, dtype=np.float64) for layer in lesson.layers]
    return weights, biases


def forward(layers, weights, biases, x: np.ndarray):
    """The activations into each layer, and each layer's z and a."""
    a = x
    out = []
    for layer, w, b in zip(layers, weights, biases, strict=True):
        z = w @ a + b
        out.append((a, z, ACTIVATION[layer.activation](z)))
        a = out[-1][2]
    return out


def loss_of(loss: str, z_out: np.ndarray, y: np.ndarray, target: np.ndarray) -> float:
    if loss == "cross_entropy":
        return float(-(target * log_softmax(z_out)).sum())
    return float(0.5 * ((y - target) ** 2).sum())


def total_loss(lesson: Lesson, weights, biases) -> float:
    """L = Σₙ lⁿ for given parameters (the finite-difference tests perturb these)."""
    total = 0.0
    for sample in lesson.samples:
        x = np.array(sample.x, dtype=np.float64)
        *_, (_, z, y) = forward(lesson.layers, weights, biases, x)
        total += loss_of(lesson.loss, z, y, np.array(sample.target, dtype=np.float64))
    return total


def run_sample(lesson: Lesson, weights, biases, sample: Sample) -> SampleTrace:
    layers: tuple[Layer, ...] = lesson.layers
    x = np.array(sample.x, dtype=np.float64)
    target = np.array(sample.target, dtype=np.float64)
    passes = forward(layers, weights, biases, x)
    z_out, y = passes[-1][1], passes[-1][2]
    loss = loss_of(lesson.loss, z_out, y, target)

    # Output layer (case 1).
    if lesson.output.activation == "softmax":
        dl_dy, gain = None, None
        dl_dz = y - target
    else:
        dl_dy = y - target
        gain = DERIVATIVE[lesson.output.activation](z_out, y)
        dl_dz = gain * dl_dy
    backward = [(gain, None, dl_dz)]

    # Hidden layers, from the last to the first: one op-amp per neuron (case 2).
    for index in range(len(layers) - 2, -1, -1):
        _, z, a = passes[index]
        weighted_sum = weights[index + 1].T @ dl_dz  # the same weights as the forward edges
        gain = DERIVATIVE[layers[index].activation](z, a)
        dl_dz = gain * weighted_sum
        backward.append((gain, weighted_sum, dl_dz))
    backward.reverse()

    traces = tuple(
        LayerTrace(
            inputs=inputs,
            z=z,
            a=a,
            gain=gain,
            weighted_sum=weighted_sum,
            dl_dz=dl_dz,
            dl_dw=np.outer(dl_dz, inputs),  # ∂l/∂w = ∂z/∂w · ∂l/∂z = a · ∂l/∂z
            dl_db=dl_dz.copy(),
        )
        for (inputs, z, a), (gain, weighted_sum, dl_dz) in zip(passes, backward, strict=True)
    )
    return SampleTrace(x=x, target=target, loss=loss, dl_dy=dl_dy, layers=traces)


def run(lesson: Lesson) -> Trace:
    weights, biases = parameters(lesson)
    samples = tuple(run_sample(lesson, weights, biases, s) for s in lesson.samples)
    count = range(len(lesson.layers))
    dl_dw = tuple(sum(s.layers[i].dl_dw for s in samples) for i in count)
    dl_db = tuple(sum(s.layers[i].dl_db for s in samples) for i in count)
    rate = lesson.learning_rate
    return Trace(
        samples=samples,
        loss=float(sum(s.loss for s in samples)),
        dl_dw=dl_dw,
        dl_db=dl_db,
        weights=tuple(weights),
        biases=tuple(biases),
        updated_weights=tuple(w - rate * g for w, g in zip(weights, dl_dw, strict=True)),
        updated_biases=tuple(b - rate * g for b, g in zip(biases, dl_db, strict=True)),
    )
