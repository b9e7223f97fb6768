"""The bug library: the mistakes learners make, each as the value it would give.

One rule a line, like the engine's derivative table: (the steps it applies to, the mistake, what a
learner making it would get), each a function of the step's operands by role (`bptui.model.Values`).
`each(...)` makes one candidate per term of a sum, so the tutor can say *which* term is off.

The same rule is evaluated on the full-precision operands, on the rounded numbers on screen and on
the learner's own earlier answers; a rule that needs what a step does not have (transposed weights
where there are none) is simply left out for that step. How each mistake is explained, in English
and Chinese, lives in `bptui.glossary.MISTAKES`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fnmatch import fnmatch
from functools import partial

from bptui.model import ACTIVATE, GAIN, Mistake, Step, Values, chain, dot, sigmoid
from bptui.model import cross_entropy as ce
from bptui.model import squared_error as se


class each:  # noqa: N801 - reads as a word in the table below
    """One candidate per term: `keys(v)` gives the terms (a role's, or any), `rule(v, k)` the
    value."""

    def __init__(
        self, keys: str | Callable[[Values], object], rule: Callable[[Values, object], float]
    ):
        self.keys = keys if callable(keys) else lambda v, role=keys: getattr(v, role).keys()
        self.rule = rule


def z(v: Values) -> float:
    return dot(v.w, v.a) + v.b


def paths(v: Values) -> dict:
    """The local derivatives along each path to the output, by path."""
    found: dict = {}
    for (p, _), factor in v.factor.items():
        found.setdefault(p, []).append(factor)
    return found


def path_keys(v: Values):
    """The paths, when there are several (with one, leaving it out is no sum's term)."""
    return paths(v).keys() if len(paths(v)) > 1 else ()


def outputs(v: Values):
    return v.y.keys() if len(v.y) > 1 else ()


def several(value: float, v: Values) -> float:
    if len(paths(v)) < 2:
        raise KeyError("one path")
    return value


# (steps: space-separated forms, patterns allowed), mistake, the value it gives.
LIBRARY = (
    # z = Σₖ wₖ·aₖ + b
    ("z", "bias_forgotten", lambda v: dot(v.w, v.a)),
    ("z", "term_missing", each("w", lambda v, k: z(v) - v.w[k] * v.a[k])),
    ("z", "term_sign", each("w", lambda v, k: z(v) - 2 * v.w[k] * v.a[k])),
    ("z", "z_for_a_inputs", lambda v: dot(v.w, v.z_in) + v.b),
    ("z", "z_for_a_term", each("z_in", lambda v, k: z(v) + v.w[k] * (v.z_in[k] - v.a[k]))),
    ("z", "weights_transposed", lambda v: dot(v.w_t, v.a) + v.b),
    ("z", "a_for_z", lambda v: ACTIVATE[v.activation](z(v))),
    # a = σ(z)
    ("a.*", "a_for_z", lambda v: v.z),
    ("a.sigmoid", "sigmoid_sign", lambda v: sigmoid(-v.z)),
    ("a.softmax", "softmax_not_normalised", lambda v: math.exp(v.z)),
    # the loss
    ("loss.squared_error", "half_forgotten", lambda v: 2 * se(v)),
    (
        "loss.squared_error",
        "output_left_out",
        each(outputs, lambda v, j: se(v) - (v.y[j] - v.t[j]) ** 2 / 2),
    ),  # noqa: E501
    ("loss.cross_entropy", "ce_sign", lambda v: -ce(v)),
    (
        "loss.cross_entropy",
        "ce_wrong_class",
        each("y", lambda v, j: -math.log(v.y[j]) if v.t[j] == 0 else math.nan),
    ),  # noqa: E501
    (
        "loss.cross_entropy",
        "ce_every_class",
        lambda v: -math.fsum(math.log(y) for y in v.y.values()),
    ),  # noqa: E501
    # ∂l/∂y = y − ŷ, and softmax with cross-entropy: ∂l/∂z = y − ŷ
    ("dl_dy dl_dz.softmax", "dl_dy_sign", lambda v: v.t - v.y),
    ("dl_dy", "dl_dy_doubled", lambda v: 2 * (v.y - v.t)),
    ("dl_dy dl_dz.softmax", "value_for_derivative", lambda v: v.y),
    # the op-amp's gain σ'(z)
    ("gain.*", "sigma_for_gain", lambda v: ACTIVATE[v.activation](v.z)),
    ("gain.sigmoid", "one_minus_a", lambda v: 1 - v.a),
    ("gain.tanh", "square_dropped", lambda v: 1 - v.a),
    ("gain.sigmoid gain.tanh", "gain_from_z", lambda v: GAIN[v.activation](v.z)),
    (
        "gain.sigmoid gain.tanh",
        "gain_of_a",
        lambda v: GAIN[v.activation](ACTIVATE[v.activation](v.a)),
    ),  # noqa: E501
    # the op-amp's output ∂l/∂z = σ'(z)·(what comes in: ∂l/∂y, or ∂l/∂a = Σ w·∂l/∂z)
    ("dl_dz.output dl_dz.hidden", "gain_left_out", lambda v: v.input),
    ("dl_dz.output dl_dz.hidden", "gain_twice", lambda v: v.gain**2 * v.input),
    ("dl_dz.output dl_dz.hidden", "sigma_for_gain", lambda v: v.a * v.input),
    (
        "dl_dz.output dl_dz.hidden",
        "gain_of_a",
        lambda v: GAIN[v.activation](ACTIVATE[v.activation](v.a)) * v.input,
    ),  # noqa: E501
    ("dl_dz.output", "dl_dy_sign", lambda v: -v.gain * v.input),
    # the op-amp's input ∂l/∂a = Σₖ wₖ·∂l/∂zₖ, over the neurons this one feeds
    ("sum", "term_missing", each("w", lambda v, k: dot(v.w, v.d) - v.w[k] * v.d[k])),
    ("sum", "term_sign", each("w", lambda v, k: dot(v.w, v.d) - 2 * v.w[k] * v.d[k])),
    ("sum", "weights_into", lambda v: dot(v.w_into, v.d)),
    ("sum", "weights_transposed", lambda v: dot(v.w_t, v.d)),
    ("sum", "gain_too_early", lambda v: v.gain * dot(v.w, v.d)),
    # ∂l/∂w = a·∂l/∂z, a the input on the weight's edge; ∂l/∂b = ∂l/∂z
    ("dl_dw", "weight_for_input", lambda v: v.w * v.d),
    ("dl_dw", "own_a_for_input", lambda v: v.a_own * v.d),
    ("dl_dw", "z_for_a_input", lambda v: v.z_in * v.d),
    ("dl_dw", "input_left_out", lambda v: v.d),
    ("dl_db", "bias_times_delta", lambda v: v.b * v.d),
    ("dl_db", "local_for_chain", lambda v: 1.0),
    # ∂L/∂w = Σₙ ∂lⁿ/∂w
    ("total", "sample_missing", each("g", lambda v, n: math.fsum(v.g.values()) - v.g[n])),
    ("total", "sample_sign", each("g", lambda v, n: math.fsum(v.g.values()) - 2 * v.g[n])),
    ("total", "mean_not_sum", lambda v: math.fsum(v.g.values()) / len(v.g)),
    # w ← w − η·∂L/∂w
    ("update", "gradient_ascent", lambda v: v.w + v.rate * v.g),
    ("update", "unchanged", lambda v: v.w),
    ("update", "rate_forgotten", lambda v: v.w - v.g),
    ("update", "change_only", lambda v: -v.rate * v.g),
    # chain-rule graphs
    ("local chain", "value_for_derivative", lambda v: v.node_value),
    ("chain", "path_missing", each(path_keys, lambda v, p: chain(v) - math.prod(paths(v)[p]))),
    ("chain", "added_along_path", lambda v: math.fsum(math.fsum(f) for f in paths(v).values())),
    (
        "chain",
        "multiplied_paths",
        lambda v: several(math.prod(math.prod(f) for f in paths(v).values()), v),
    ),  # noqa: E501
    ("chain", "chain_stopped", lambda v: math.fsum(v.local.values())),
)

# Mistakes the precision policy must always keep apart from the answer, however small the change:
# an update that rounds back to the old weight is exactly what the update step is there to catch.
ESSENTIAL = frozenset({"gradient_ascent", "unchanged", "rate_forgotten", "change_only"})


def applies(pattern: str, form: str) -> bool:
    return any(fnmatch(form, p) for p in pattern.split())


def candidates(step: Step) -> tuple[Mistake, ...]:
    """Every known mistake that applies to a step, one per term for the rules made with `each`."""
    exact = step.values("exact")
    terms = dict(step.terms)
    found = []
    for pattern, name, rule in LIBRARY:
        if not applies(pattern, step.form):
            continue
        if isinstance(rule, each):
            try:
                keys = list(rule.keys(exact))
            except (AttributeError, KeyError):
                continue
            for k in keys:
                found.append(Mistake(name, partial(_term, rule.rule, k), terms.get(k, "")))
        else:
            found.append(Mistake(name, rule))
    return tuple(m for m in found if not math.isnan(m.value(exact)))


def _term(rule: Callable[[Values, object], float], k: object, v: Values) -> float:
    return rule(v, k)


def names() -> tuple[str, ...]:
    """Every mistake the library can name, each once, in table order."""
    return tuple(dict.fromkeys(name for _, name, _ in LIBRARY))
