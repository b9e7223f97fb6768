"""The engine against the seed's worked example, an independent autograd and finite differences."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bptui import engine, steps
from bptui.lesson import Layer, Lesson, Sample

from .autograd import lesson_gradients

# The table of the seed (NOTES.md): z and a per layer, to the two decimals the figures show.
SEED_TABLE = [
    ([4, -2], [0.98, 0.12]),
    ([1.84, -2.08], [0.86, 0.11]),
    ([0.48, 1.58], [0.62, 0.83]),
]


def test_lecture_forward_pass_reproduces_the_seed_table(lecture):
    trace = engine.run(lecture)
    for layer, (z, a) in zip(trace.samples[0].layers, SEED_TABLE, strict=True):
        np.testing.assert_allclose(layer.z, z, atol=0.005)
        np.testing.assert_allclose(layer.a, a, atol=0.005)


def test_lecture_hand_checked_backward_values(lecture):
    # Worked by hand from the full-precision forward values: y = (0.61770, 0.82912), target (1, 0).
    s = engine.run(lecture).samples[0]
    y1, y2 = s.layers[2].a
    assert s.loss == pytest.approx(0.5 * ((y1 - 1) ** 2 + y2**2), rel=1e-12)
    assert s.dl_dy == pytest.approx([y1 - 1, y2], rel=1e-12)
    dz5, dz6 = y1 * (1 - y1) * (y1 - 1), y2 * (1 - y2) * y2
    assert s.layers[2].dl_dz == pytest.approx([dz5, dz6], rel=1e-12)
    a3, a4 = s.layers[1].a
    # The op-amp of z₃: gain σ'(z₃), inputs ∂l/∂z₅, ∂l/∂z₆ through w₅₃ = 3, w₆₃ = −1.
    assert s.layers[1].dl_dz[0] == pytest.approx(a3 * (1 - a3) * (3 * dz5 - 1 * dz6), rel=1e-12)
    assert s.layers[1].dl_dz[1] == pytest.approx(a4 * (1 - a4) * (-1 * dz5 + 4 * dz6), rel=1e-12)
    assert s.layers[2].dl_dz[0] == pytest.approx(-0.0903, abs=5e-5)
    # ∂l/∂w = a · ∂l/∂z: the weight from a₃ into z₅.
    assert s.layers[2].dl_dw[0, 0] == pytest.approx(a3 * dz5, rel=1e-12)


def test_seed_partial_z_over_w_is_the_input_on_the_edge(lecture):
    trace = engine.run(lecture)
    # The seed's two circled weights: w = 1 from input −1 has ∂z/∂w = −1 ... and w = −1 from the
    # hidden activation 0.12 has ∂z/∂w = 0.12. ∂z/∂w is what the engine keeps as the layer inputs.
    assert trace.samples[0].layers[0].inputs[1] == pytest.approx(-1)
    assert trace.samples[0].layers[1].inputs[1] == pytest.approx(0.12, abs=0.005)


# --- random networks --------------------------------------------------------------------------


@st.composite
def lessons(draw, activations=("sigmoid", "tanh", "relu", "linear"), loss=None):
    loss = loss or draw(st.sampled_from(["squared_error", "cross_entropy"]))
    n_in = draw(st.integers(1, 3))
    widths = draw(st.lists(st.integers(1, 3), min_size=1, max_size=3))
    if loss == "cross_entropy":
        widths[-1] = max(widths[-1], 2)
    number = st.floats(-2, 2, allow_nan=False).map(lambda v: round(v, 3))
    layers, fan_in = [], n_in
    for i, width in enumerate(widths):
        last = i == len(widths) - 1
        activation = (
            "softmax" if last and loss == "cross_entropy" else draw(st.sampled_from(activations))
        )
        weights = tuple(tuple(draw(number) for _ in range(fan_in)) for _ in range(width))
        layers.append(Layer(activation, weights, tuple(draw(number) for _ in range(width))))
        fan_in = width
    samples = []
    for _ in range(draw(st.integers(1, 3))):
        x = tuple(draw(number) for _ in range(n_in))
        if loss == "cross_entropy":
            raw = [draw(st.floats(0, 1)) for _ in range(widths[-1])]
            assume(sum(raw) > 0.1)
            target = tuple(r / sum(raw) for r in raw)
        else:
            target = tuple(draw(number) for _ in range(widths[-1]))
        samples.append(Sample(x, target))
    rate = draw(st.sampled_from([0.1, 0.5, 1.0]))
    return Lesson(
        "random", tuple(f"x{i + 1}" for i in range(n_in)), tuple(layers), loss, rate, tuple(samples)
    )


def _away_from_relu_kinks(lesson: Lesson) -> bool:
    trace = engine.run(lesson)
    return all(
        np.all(np.abs(layer.z) > 1e-3)
        for s in trace.samples
        for layer, spec in zip(s.layers, lesson.layers, strict=True)
        if spec.activation == "relu"
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(lessons())
def test_engine_agrees_with_an_independent_autograd(lesson):
    assume(_away_from_relu_kinks(lesson))
    trace = engine.run(lesson)
    loss, grads_w, grads_b = lesson_gradients(lesson)
    assert trace.loss == pytest.approx(loss, rel=1e-9, abs=1e-12)
    for i in range(len(lesson.layers)):
        np.testing.assert_allclose(trace.dl_dw[i], grads_w[i], rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(trace.dl_db[i], grads_b[i], rtol=1e-9, atol=1e-12)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(lessons())
def test_engine_agrees_with_finite_differences(lesson):
    assume(_away_from_relu_kinks(lesson))
    trace = engine.run(lesson)
    weights, biases = engine.parameters(lesson)
    h = 1e-6
    for i in range(len(weights)):
        for params, grad in ((weights[i], trace.dl_dw[i]), (biases[i], trace.dl_db[i])):
            for index in np.ndindex(params.shape):
                saved = params[index]
                params[index] = saved + h
                up = engine.total_loss(lesson, weights, biases)
                params[index] = saved - h
                down = engine.total_loss(lesson, weights, biases)
                params[index] = saved
                assert grad[index] == pytest.approx((up - down) / (2 * h), abs=1e-6, rel=1e-5)


@settings(max_examples=40, deadline=None)
@given(lessons())
def test_update_is_one_gradient_descent_step_on_the_summed_gradient(lesson):
    trace = engine.run(lesson)
    for i, layer in enumerate(lesson.layers):
        summed = sum(s.layers[i].dl_dw for s in trace.samples)
        np.testing.assert_allclose(trace.dl_dw[i], summed, rtol=1e-12)
        np.testing.assert_allclose(
            trace.updated_weights[i],
            np.array(layer.weights) - lesson.learning_rate * summed,
            rtol=1e-12,
        )


@settings(max_examples=60, deadline=None)
@given(lessons())
def test_every_step_follows_from_its_operands(lesson):
    # The numbers line of each step and its value must agree: recomputing the step's rule from its
    # exact operands gives the engine's value.
    for step in steps.build(lesson):
        exact = step.compute(step.values("exact"))
        assert exact == pytest.approx(step.value, rel=1e-9, abs=1e-12), step.id


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "linear"])
def test_large_inputs_give_no_overflow_warnings(activation):
    big = 1e5
    lesson = Lesson(
        "big",
        ("x",),
        (
            Layer(activation, ((big,), (-big,)), (0.0, 0.0)),
            Layer("softmax", ((big, -big), (-big, big)), (0.0, 0.0)),
        ),
        "cross_entropy",
        0.1,
        (Sample((big,), (1.0, 0.0)),),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        trace = engine.run(lesson)
    assert np.isfinite(trace.loss)
    assert all(np.all(np.isfinite(g)) for g in trace.dl_dw)


def test_sigmoid_is_stable_at_the_extremes():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values = engine.sigmoid(np.array([-1000.0, 0.0, 1000.0]))
    np.testing.assert_allclose(values, [0.0, 0.5, 1.0])


def test_relu_derivative_at_zero_is_zero():
    z = np.array([0.0, 1.0, -1.0])
    np.testing.assert_allclose(engine.DERIVATIVE["relu"](z, np.maximum(z, 0)), [0.0, 1.0, 0.0])


def test_softmax_cross_entropy_output_gradient_is_y_minus_target():
    lesson = Lesson(
        "ce",
        ("x",),
        (Layer("softmax", ((1.0,), (2.0,), (-1.0,)), (0.0, 0.5, 0.0)),),
        "cross_entropy",
        0.1,
        (Sample((1.0,), (0.0, 1.0, 0.0)),),
    )
    s = engine.run(lesson).samples[0]
    np.testing.assert_allclose(
        s.layers[0].dl_dz, s.layers[0].a - np.array([0.0, 1.0, 0.0]), rtol=1e-12
    )
