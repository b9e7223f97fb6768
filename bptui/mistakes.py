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
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fnmatch import fnmatch

from bptui import expr
from bptui.model import ACTIVATE, FAILED, GAIN, RULES, Step, Values, chain, dot, sigmoid
from bptui.model import cross_entropy as ce
from bptui.model import squared_error as se


class each:  # noqa: N801 - reads as a word in the table below
    """One candidate per term: `keys(v)` gives the terms (a role's, or any), `rule(v, k)` the
    value."""

    def __init__(
        self,
        keys: str | Callable[[Values], object],
        rule: Callable[[Values, object], float],
        named_by: str | None = None,
    ):
        self.role = None if callable(keys) else keys  # the terms' role, to name them by
        self.keys = keys if callable(keys) else lambda v, role=keys: getattr(v, role).keys()
        self.rule = rule
        self.named_by = named_by  # or: a role keyed (term, …), whose symbols name the term


def z(v: Values) -> float:
    return dot(v.w, v.a) + v.b


def right(v: Values) -> float:
    """The step's own value, from these operands (for slips of the whole: a sign, a place)."""
    return RULES[v.rule](v)


def rows(v: Values):
    """The other neurons whose weights a z step knows: their row numbers."""
    return sorted({row for row, _ in v.w_other})


def others(v: Values, role: str):
    return getattr(v, role).keys()


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


def swapped_targets(v: Values) -> float:
    targets = list(reversed(v.t.values()))
    return 0.5 * math.fsum((y - t) ** 2 for y, t in zip(v.y.values(), targets, strict=True))


def row_sum(v: Values, r) -> float:
    """Another neuron's weights (row r of W) on this neuron's inputs, and this one's bias."""
    return math.fsum(w * v.a[c] for (row, c), w in v.w_other.items() if row == r) + v.b


def short_softmax(v: Values, k) -> float:
    """e^zⱼ over a sum that leaves e^zₖ out (not zⱼ's own term: that would be right)."""
    if v.zs[k] == v.z:
        return math.nan
    return math.exp(v.z) / (math.fsum(math.exp(x) for x in v.zs.values()) - math.exp(v.zs[k]))


def rows_out(v: Values):
    """The other neurons of the layer whose weights out a weighted sum could take."""
    return sorted({row for row, _ in v.w_out_other})


def mean(values: Mapping) -> float:
    return math.fsum(values.values()) / len(values)


# (steps: space-separated forms, patterns allowed), mistake, the value it gives.
# fmt: off
LIBRARY = (
    # z = Σₖ wₖ·aₖ + b
    ("z", "bias_forgotten", lambda v: dot(v.w, v.a)),
    ("z", "bias_sign", lambda v: dot(v.w, v.a) - v.b),
    ("z", "term_missing", each("w", lambda v, k: z(v) - v.w[k] * v.a[k])),
    ("z", "term_sign", each("w", lambda v, k: z(v) - 2 * v.w[k] * v.a[k])),
    ("z", "z_for_a_inputs", lambda v: dot(v.w, v.z_in) + v.b),
    ("z", "z_for_a_term", each("z_in", lambda v, k: z(v) + v.w[k] * (v.z_in[k] - v.a[k]))),
    ("z", "inputs_for_a", lambda v: dot(v.w, v.x_in) + v.b),
    ("z", "weights_transposed", lambda v: dot(v.w_t, v.a) + v.b),
    ("z", "other_weights", each(rows, row_sum, named_by="w_other")),
    ("z", "other_bias", each("b_other", lambda v, r: dot(v.w, v.a) + v.b_other[r])),
    ("z", "a_for_z", lambda v: ACTIVATE[v.activation](z(v))),
    # a = σ(z)
    ("a.*", "a_for_z", lambda v: v.z),
    ("a.sigmoid", "sigmoid_sign", lambda v: sigmoid(-v.z)),
    ("a.sigmoid", "exp_only", lambda v: math.exp(-v.z)),
    ("a.softmax", "softmax_not_normalised", lambda v: math.exp(v.z)),
    ("a.softmax", "softmax_without_exp", lambda v: v.z / math.fsum(v.zs.values())),
    ("a.softmax", "softmax_term_missing", each("zs", short_softmax)),
    ("a.tanh", "sigmoid_for_tanh", lambda v: sigmoid(v.z)),
    ("a.softmax", "sigmoid_for_softmax", lambda v: sigmoid(v.z)),
    ("a.sigmoid", "tanh_for_sigmoid", lambda v: math.tanh(v.z)),
    ("a.sigmoid", "exp_z", lambda v: math.exp(v.z)),
    ("a.sigmoid", "reciprocal_forgotten", lambda v: 1 + math.exp(-v.z)),
    # the loss
    ("loss.squared_error", "half_forgotten", lambda v: 2 * se(v)),
    ("loss.squared_error", "output_left_out", each(outputs, lambda v, j: se(v) - (v.y[j] - v.t[j]) ** 2 / 2)),
    ("loss.squared_error", "square_forgotten", lambda v: 0.5 * math.fsum(v.y[j] - v.t[j] for j in v.y)),
    ("loss.squared_error", "absolute_errors", lambda v: 0.5 * math.fsum(abs(v.y[j] - v.t[j]) for j in v.y)),
    ("loss.squared_error", "sum_squared", lambda v: 0.5 * math.fsum(v.y[j] - v.t[j] for j in v.y) ** 2 if len(v.y) > 1 else math.nan),
    ("loss.squared_error", "targets_swapped", swapped_targets),
    ("loss.cross_entropy", "ce_sign", lambda v: -ce(v)),
    ("loss.cross_entropy", "ce_wrong_class", each("y", lambda v, j: -math.log(v.y[j]) if v.t[j] == 0 else math.nan)),
    ("loss.cross_entropy", "ce_every_class", lambda v: -math.fsum(math.log(y) for y in v.y.values())),
    ("loss.cross_entropy", "log10", lambda v: -math.fsum(v.t[j] * math.log10(v.y[j]) for j in v.y if v.t[j])),
    ("loss.cross_entropy", "squared_error_for_ce", se),
    # ∂l/∂y = y − ŷ, and softmax with cross-entropy: ∂l/∂z = y − ŷ
    ("dl_dy dl_dz.softmax", "dl_dy_sign", lambda v: v.t - v.y),
    ("dl_dy", "dl_dy_doubled", lambda v: 2 * (v.y - v.t)),
    ("dl_dy", "half_kept", lambda v: 0.5 * (v.y - v.t)),
    ("dl_dy", "loss_for_derivative", lambda v: 0.5 * (v.y - v.t) ** 2),
    ("dl_dy", "z_for_y", lambda v: v.z_own - v.t),
    ("dl_dy dl_dz.softmax", "target_not_subtracted", lambda v: v.y if v.t else math.nan),
    ("dl_dy", "other_target", each("t_other", lambda v, k: v.y - v.t_other[k] if v.t_other[k] else math.nan)),
    ("dl_dy", "errors_summed", lambda v: math.fsum(v.ys[k] - v.ts[k] for k in v.ys) if len(v.ys) > 1 else math.nan),
    ("dl_dy", "loss_given", lambda v: v.l),
    ("dl_dz.softmax", "softmax_extra_gain", lambda v: v.y * (1 - v.y) * (v.y - v.t)),
    ("dl_dz.softmax", "ce_dl_dy", lambda v: -v.t / v.y if v.t else math.nan),
    ("dl_dz.softmax", "zero_for_other_class", lambda v: 0.0 if v.t == 0 else math.nan),
    ("dl_dz.softmax", "wrong_target", lambda v: v.y - 1 if v.t == 0 else math.nan),
    ("dl_dz.softmax", "sigmoid_gain_for_softmax", lambda v: v.y * (1 - v.y)),
    # the op-amp's gain σ'(z)
    ("gain.sigmoid gain.tanh", "sigma_for_gain", lambda v: v.a),
    ("gain.relu gain.linear", "sigma_for_gain", lambda v: ACTIVATE[v.activation](v.z)),
    ("gain.sigmoid", "one_minus_a", lambda v: 1 - v.a),
    ("gain.tanh", "square_dropped", lambda v: 1 - v.a),
    ("gain.sigmoid gain.tanh", "gain_from_z", lambda v: GAIN[v.activation](v.z)),
    ("gain.sigmoid gain.tanh", "gain_of_a", lambda v: GAIN[v.activation](ACTIVATE[v.activation](v.a))),
    ("gain.sigmoid", "tanh_gain_for_sigmoid", lambda v: 1 - v.a**2),
    ("gain.tanh", "sigmoid_gain_for_tanh", lambda v: v.a * (1 - v.a)),
    ("gain.tanh", "sigmoid_gain_of_z", lambda v: sigmoid(v.z) * (1 - sigmoid(v.z))),
    ("gain.sigmoid gain.tanh", "a_squared", lambda v: v.a**2),
    ("gain.sigmoid", "one_minus_a_squared", lambda v: (1 - v.a) ** 2),
    ("gain.sigmoid", "one_plus_a", lambda v: v.a * (1 + v.a)),
    ("gain.sigmoid gain.tanh", "other_a", each("a_other", lambda v, k: GAIN[v.activation](v.a_other[k]))),
    ("gain.sigmoid gain.tanh", "quarter", lambda v: 0.25 if v.activation == "sigmoid" else 1.0),
    ("gain.*", "gain_too_far", lambda v: right(v) * v.dy),
    ("gain.*", "z_for_gain", lambda v: v.z),
    ("gain.tanh", "negative_a_squared", lambda v: 1 + v.a**2 if v.a < 0 else math.nan),
    ("gain.relu", "relu_dead_passes", lambda v: 1.0 if v.z <= 0 else math.nan),
    ("gain.relu", "relu_live_blocks", lambda v: 0.0 if v.z > 0 else math.nan),
    # the op-amp's output ∂l/∂z = σ'(z)·(what comes in: ∂l/∂y, or ∂l/∂a = Σ w·∂l/∂z)
    ("dl_dz.output dl_dz.hidden", "gain_alone", lambda v: v.gain),
    ("dl_dz.output dl_dz.hidden", "one_minus_a", lambda v: (1 - v.a) * v.input if v.activation == "sigmoid" else math.nan),
    ("dl_dz.output dl_dz.hidden", "relu_dead_passes", lambda v: v.input if v.activation == "relu" and v.gain == 0 else math.nan),
    ("dl_dz.output dl_dz.hidden", "gain_left_out", lambda v: v.input),
    ("dl_dz.output dl_dz.hidden", "gain_twice", lambda v: v.gain**2 * v.input),
    ("dl_dz.output dl_dz.hidden", "gain_divided", lambda v: v.input / v.gain),
    ("dl_dz.output dl_dz.hidden", "gain_added", lambda v: v.gain + v.input),
    ("dl_dz.output dl_dz.hidden", "sigma_for_gain", lambda v: v.a * v.input),
    ("dl_dz.output dl_dz.hidden", "gain_of_a", lambda v: GAIN[v.activation](ACTIVATE[v.activation](v.a)) * v.input),
    ("dl_dz.output dl_dz.hidden", "other_gain", each("gain_other", lambda v, k: v.gain_other[k] * v.input)),
    ("dl_dz.output", "output_dl_dz_sign", lambda v: -v.gain * v.input),
    ("dl_dz.output", "other_output_dl_dy", each("dy_other", lambda v, k: v.gain * v.dy_other[k])),
    ("dl_dz.hidden", "other_dl_da", each("da_other", lambda v, k: v.gain * v.da_other[k])),
    ("dl_dz.output dl_dz.hidden", "other_dl_dz", each("dz_other", lambda v, k: v.dz_other[k])),
    # the op-amp's input ∂l/∂a = Σₖ wₖ·∂l/∂zₖ, over the neurons this one feeds
    ("sum", "term_missing", each("w", lambda v, k: dot(v.w, v.d) - v.w[k] * v.d[k])),
    ("sum", "term_sign", each("w", lambda v, k: dot(v.w, v.d) - 2 * v.w[k] * v.d[k])),
    ("sum", "weights_into", lambda v: dot(v.w_into, v.d)),
    ("sum", "weights_transposed", lambda v: dot(v.w_t, v.d)),
    ("sum", "gain_too_early", lambda v: v.gain * dot(v.w, v.d)),
    ("sum", "dl_dy_for_dl_dz", lambda v: dot(v.w, v.dy)),
    ("sum", "dl_da_for_dl_dz", lambda v: dot(v.w, v.da)),
    ("sum", "weights_forgotten", lambda v: math.fsum(v.d.values()) if abs(math.fsum(v.d.values())) > 1e-12 else math.nan),
    ("sum", "weights_paired_wrongly", lambda v: math.fsum(w * d for w, d in zip(v.w.values(), reversed(v.d.values()), strict=True)) if len(v.d) > 1 else math.nan),
    ("sum", "other_neurons_weights", each(rows_out, lambda v, r: math.fsum(w * v.d[k] for (row, k), w in v.w_out_other.items() if row == r), named_by="w_out_other")),
    # ∂z/∂w = a, the input on the weight's edge
    ("dz_dw", "weight_not_input", lambda v: v.w),
    ("dz_dw", "term_not_input", lambda v: v.w * v.a),
    ("dz_dw", "own_a_not_input", lambda v: v.a_own),
    ("dz_dw", "z_not_input", lambda v: v.z_in),
    ("dz_dw", "one_not_input", lambda v: 1.0),
    ("dz_dw", "other_input", each("a_other", lambda v, k: v.a_other[k])),
    ("dz_dw", "other_weight_not_input", each("w_other", lambda v, k: v.w_other[k])),
    ("dz_dw", "other_weight_not_input", each("w_same_source", lambda v, r: v.w_same_source[r])),
    ("dz_dw", "own_z_not_input", lambda v: v.z_own),
    ("dz_dw", "zero_not_input", lambda v: 0.0),
    # ∂l/∂w = a·∂l/∂z, a the input on the weight's edge; ∂l/∂b = ∂l/∂z
    ("dl_dw", "weight_for_input", lambda v: v.w * v.d),
    ("dl_dw", "own_a_for_input", lambda v: v.a_own * v.d),
    ("dl_dw", "z_for_a_input", lambda v: v.z_in * v.d),
    ("dl_dw", "input_left_out", lambda v: v.d),
    ("dl_dw", "dl_dy_for_dl_dz", lambda v: v.a * v.dy),
    ("dl_dw", "dl_da_for_dl_dz", lambda v: v.a * v.da),
    ("dl_dw", "other_delta", each("d_other", lambda v, k: v.a * v.d_other[k])),
    ("dl_dw", "other_input", each("a_other", lambda v, k: v.a_other[k] * v.d)),
    ("dl_dw", "own_z_for_input", lambda v: v.z_own * v.d),
    ("dl_db", "bias_times_delta", lambda v: v.b * v.d if v.b else math.nan),
    ("dl_db", "local_for_chain", lambda v: 1.0),
    ("dl_db", "a_for_bias_input", lambda v: v.a_own * v.d),
    ("dl_db", "dl_dy_for_dl_dz", lambda v: v.dy),
    ("dl_db", "dl_da_for_dl_dz", lambda v: v.da),
    ("dl_db", "bias_no_gradient", lambda v: 0.0),
    # ∂L/∂w = Σₙ ∂lⁿ/∂w
    ("total", "sample_missing", each("g", lambda v, n: math.fsum(v.g.values()) - v.g[n])),
    ("total", "sample_sign", each("g", lambda v, n: math.fsum(v.g.values()) - 2 * v.g[n])),
    ("total", "mean_not_sum", lambda v: mean(v.g)),
    ("total", "samples_multiplied", lambda v: math.prod(v.g.values()) or math.nan),
    ("total", "sample_twice", each("g", lambda v, n: 2 * v.g[n] or math.nan)),
    # w ← w − η·∂L/∂w
    ("update", "gradient_ascent", lambda v: v.w + v.rate * v.g),
    ("update", "unchanged", lambda v: v.w),
    ("update", "rate_forgotten", lambda v: v.w - v.g),
    ("update", "change_only", lambda v: -v.rate * v.g),
    ("update", "delta_for_gradient", lambda v: v.w - v.rate * v.delta),
    ("update", "one_sample_only", each("g_sample", lambda v, n: v.w - v.rate * v.g_sample[n])),
    ("update", "mean_gradient", lambda v: v.w - v.rate * mean(v.g_sample)),
    ("update", "rate_only", lambda v: v.w - v.rate),
    ("update", "rate_and_sign", lambda v: v.w + v.g),
    ("update", "rate_on_weight", lambda v: v.rate * (v.w - v.g)),
    # chain-rule graphs
    ("local", "value_for_derivative", lambda v: v.node_value or math.nan),  # 0: "constant"?
    ("chain", "value_for_chain", lambda v: v.node_value or math.nan),
    ("chain", "path_missing", each(path_keys, lambda v, p: chain(v) - math.prod(paths(v)[p]))),
    ("chain", "added_along_path", lambda v: math.fsum(math.fsum(f) for f in paths(v).values())),
    ("chain", "multiplied_paths", lambda v: several(math.prod(math.prod(f) for f in paths(v).values()), v)),
    ("chain", "chain_stopped", lambda v: math.fsum(v.local.values())),
    ("chain", "local_left_out", lambda v: math.fsum(v.up.values())),
    ("chain", "seed_given", lambda v: 1.0),
    ("local", "other_edge", each("local_other", lambda v, k: v.local_other[k])),
    # slips of the whole value: named only when no mistake above fits (GENERIC)
    ("z a.tanh a.relu a.linear sum dl_dz.hidden dl_dw dl_db total value local chain", "sign_flipped", lambda v: -right(v)),
    ("*", "decimal_slip", each(lambda v: (10.0, 0.1), lambda v, f: f * right(v))),
    ("*", "other_sample", lambda v: v.same_in_sample_1),
)
# fmt: on

# Mistakes the precision policy must always keep apart from the answer, however small the change:
# an update that rounds back to the old weight is exactly what the update step is there to catch.
ESSENTIAL = frozenset({"gradient_ascent", "unchanged", "rate_forgotten", "change_only"})
# Slips of the whole value can look like anything: named only when no other mistake fits, and
# never a reason to ask for more places.
GENERIC = frozenset({"decimal_slip", "sign_flipped"})


def applies(pattern: str, form: str) -> bool:
    return any(fnmatch(form, p) for p in pattern.split())


@dataclass(frozen=True)
class Mistake:
    """A known mistake on one step: its name, the term it concerns, and the value it gives: by
    the library's rule `index` (for term `k`), or by the slipped formula `tree`. Plain data, so
    built steps can be kept in a cache."""

    name: str
    index: int | None = None  # its rule in LIBRARY
    k: object = None  # the term, for a rule made with `each`
    tree: tuple = ()  # a graph formula as written with the slip
    term: str = ""  # for a sum: which term, as written on the card ("w₃₁·a₁", "s → x → z")

    def value(self, values: Values) -> float:
        try:
            if self.tree:
                return float(expr.evaluate(self.tree, getattr(values, "name", {})))
            rule = LIBRARY[self.index][2]
            return float(rule.rule(values, self.k) if isinstance(rule, each) else rule(values))
        except (*FAILED, AttributeError, KeyError):
            return math.nan


def candidates(step: Step) -> tuple[Mistake, ...]:
    """Every known mistake that applies to a step, one per term for the rules made with `each`,
    and, for a graph's node values and local derivatives, the slips of its own formula."""
    return (*_from_library(step), *_from_formula(step))


def _from_formula(step: Step) -> list[Mistake]:
    if step.form not in ("value", "local") or not step.expression:
        return []
    exact = step.values("exact")
    found = []
    scope = [o.symbol for o in step.all_operands if o.role == "name"]  # the names in scope
    for name, term, tree in mutations(step.expression, scope):
        mistake = Mistake(name, tree=tree, term=term)
        if not math.isnan(mistake.value(exact)):
            found.append(mistake)
    return found


# How a formula gets written wrong, one rule a line: (mistake, the slip, as a tree rewrite).
def mutations(tree: tuple, names: list[str]):
    """(mistake, the term it concerns, the formula as written with that slip) for a formula: one
    slip of its structure, anywhere in it ((l_new − l)/eps with l not subtracted), or a name used
    in place of another."""
    yield from slips(tree)
    for old in expr.names_in(tree):
        for new in names:
            if new != old:
                yield "wrong_name", f"{new}|{old}", _rename(tree, old, new)


def slips(tree: tuple):
    """The slips of a formula's structure: at its top, then inside each part (the rest kept)."""
    kind = tree[0]
    if kind == "bin":
        _, op, a, b = tree
        if op in "+-" and b[0] == "num":
            yield "constant_forgotten", expr.to_text(b), a
        if op == "+" and a[0] == "num":
            yield "constant_forgotten", expr.to_text(a), b
        if op == "^" and b[0] == "num":
            yield "power_as_product", expr.to_text(tree), ("bin", "*", a, b)
        if op in "+*":
            other = "*" if op == "+" else "+"
            yield (
                f"{'added' if op == '*' else 'multiplied'}_instead",
                expr.to_text(tree),
                ("bin", other, a, b),
            )
        if op == "+" and b[0] != "num":  # a term left out (a number is constant_forgotten's)
            yield "term_left_out", expr.to_text(b), a
        if op == "+" and a[0] != "num":
            yield "term_left_out", expr.to_text(a), b
        if op == "*":  # a factor left out (a derivative's coefficient, or its variable part)
            yield "factor_dropped", expr.to_text(a), b
            yield "factor_dropped", expr.to_text(b), a
        if op == "/":
            yield "divisor_dropped", expr.to_text(b), a
            yield (
                "divisor_doubled",
                expr.to_text(b),
                ("bin", "/", a, ("bin", "*", ("num", 2.0), b)),
            )
        if op == "-":
            yield "subtraction_reversed", expr.to_text(tree), ("bin", "-", b, a)
            if b[0] != "num":  # (a number is constant_forgotten's)
                yield "not_subtracted", expr.to_text(b), a
        for name, term, slipped in slips(a):
            yield name, term, ("bin", op, slipped, b)
        for name, term, slipped in slips(b):
            yield name, term, ("bin", op, a, slipped)
    if kind == "call":
        if tree[1] == "exp":
            yield "exp_as_product", expr.to_text(tree), ("bin", "*", ("name", "e"), tree[2])
        for name, term, slipped in slips(tree[2]):
            yield name, term, ("call", tree[1], slipped)
    if kind == "neg":
        for name, term, slipped in slips(tree[1]):
            yield name, term, ("neg", slipped)


def _rename(tree: tuple, old: str, new: str) -> tuple:
    kind = tree[0]
    if kind == "name":
        return ("name", new) if tree[1] == old else tree
    if kind == "num":
        return tree
    if kind == "neg":
        return ("neg", _rename(tree[1], old, new))
    if kind == "call":
        return ("call", tree[1], _rename(tree[2], old, new))
    return ("bin", tree[1], _rename(tree[2], old, new), _rename(tree[3], old, new))


TERM_ROLES = ("w", "g", "y", "z_in")  # roles whose k numbers the terms of the step's sum


def _from_library(step: Step) -> list[Mistake]:
    exact = step.values("exact")
    terms = dict(step.terms)
    symbols = {(o.role, o.k): o.symbol for o in step.all_operands}
    found = []
    for index, (pattern, name, rule) in enumerate(LIBRARY):
        if not applies(pattern, step.form):
            continue
        if not isinstance(rule, each):
            found.append(Mistake(name, index))
            continue
        try:
            keys = list(rule.keys(exact))
        except (AttributeError, KeyError):
            continue
        for k in keys:  # a term named as the card writes it, or else by its operand's symbol
            if rule.named_by:
                term = ", ".join(symbol for (role, key), symbol in symbols.items()
                                 if role == rule.named_by and key[0] == k)  # fmt: skip
            elif rule.role in TERM_ROLES or rule.role is None:
                term = terms.get(k, "")
            else:
                term = symbols.get((rule.role, k), "")
            found.append(Mistake(name, index, k, term=term))
    return [m for m in found if not math.isnan(m.value(exact))]


FORMULA_SLIPS = ("constant_forgotten", "power_as_product", "added_instead", "multiplied_instead",
                 "factor_dropped", "divisor_dropped", "subtraction_reversed", "not_subtracted",
                 "term_left_out", "divisor_doubled",
                 "exp_as_product", "wrong_name")  # fmt: skip


def names() -> tuple[str, ...]:
    """Every mistake the tutor can name, each once: the library's, then the formula slips."""
    return tuple(dict.fromkeys([*(name for _, name, _ in LIBRARY), *FORMULA_SLIPS]))
