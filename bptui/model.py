"""The step model: one quantity a learner works out, the numbers it is made of, and its rule.

A step is data, like micrograd's `Value`: its operands (each with a *role* such as `w`, `a` or `b`,
the term it belongs to, and the step that worked it out), the rule that combines them, the value the
engine computed and the places it is asked to. Both step builders (networks and chain-rule graphs),
the grader, the tutor, the key and the replay read these same steps.

`RULES` recomputes a step from its operands in any *world*: the full-precision numbers ("exact"),
the rounded numbers on screen ("screen"), or the learner's own earlier answers ("carried", error
carried forward). The value itself always comes from the engine.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bptui import expr
from bptui.notation import bracketed, given, on_half, read_shown, rounded, same_at, shown_at

WORLDS = ("exact", "screen", "carried", "carried_shown")


@dataclass(frozen=True)
class Operand:
    symbol: str
    value: float
    role: str  # what it is in the step's rule: "w", "a", "b", "gain", ...
    k: object = None  # which term, for a role that repeats (w₁·a₁ + w₂·a₂: k = 1, 2)
    step: str | None = None  # the step that works it out; None: lesson data, used exactly
    places: int | None = None  # how that step shows it; None: exactly, as the lesson gives it
    in_formula: bool = True  # False: a number only a known mistake uses (the z behind an a)
    hidden: bool = False  # a number the learner must know (∂z/∂b = 1): a symbol until answered

    @property
    def text(self) -> str:
        """How it is written inside a formula on screen: negative numbers in parentheses."""
        if self.places is None:
            return given(self.value)
        return bracketed(shown_at(self.value, self.places))

    @property
    def on_screen(self) -> float:
        """The number a learner reads on screen for it."""
        return self.value if self.places is None else read_shown(shown_at(self.value, self.places))


class Values:
    """A step's operands in one world, by role: `v.b`, `v.w[2]`; plus `v.activation`, `v.tree`.

    A role the step does not have is an AttributeError (a dict key it lacks, a KeyError): that is
    how a known mistake that needs, say, transposed weights is left out where there are none.
    """

    def __init__(self, step: Step, numbers: list[float]):
        self.activation = step.activation
        self.tree = step.expression
        self.rule = step.rule
        for operand, number in zip(step.all_operands, numbers, strict=True):
            if operand.k is None:
                setattr(self, operand.role, number)
            else:
                self.__dict__.setdefault(operand.role, {})[operand.k] = number


def dot(xs: Mapping, ys: Mapping) -> float:
    """Σₖ xₖ·yₖ over the same terms (different terms: KeyError, the rule does not apply)."""
    if xs.keys() != ys.keys():
        raise KeyError("different terms")
    return math.fsum(xs[k] * ys[k] for k in xs)


def sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))


def softmax(zj: float, zs: Mapping) -> float:
    top = max(zs.values())
    return math.exp(zj - top) / math.fsum(math.exp(z - top) for z in zs.values())


def squared_error(v: Values) -> float:
    return 0.5 * math.fsum((v.y[j] - v.t[j]) ** 2 for j in v.y)


def cross_entropy(v: Values) -> float:
    return -math.fsum(v.t[j] * math.log(v.y[j]) for j in v.y if v.t[j])


def chain(v: Values) -> float:
    """Σ over the nodes a name feeds: ∂out/∂child · ∂child/∂name (∂out/∂out = 1)."""
    up = getattr(v, "up", {})
    return math.fsum(up.get(c, 1.0) * d for c, d in getattr(v, "local", {}).items())


ACTIVATE = {"sigmoid": sigmoid, "tanh": math.tanh, "relu": lambda z: max(z, 0.0),
            "linear": lambda z: z}  # fmt: skip
GAIN = {  # the derivative, from a = σ(z): what the gain step computes
    "sigmoid": lambda a: a * (1 - a),
    "tanh": lambda a: 1 - a * a,
}

# One rule a line: how a step's value follows from its operands.
RULES: dict[str, Callable[[Values], float]] = {
    "affine": lambda v: dot(v.w, v.a) + v.b,
    "sigmoid": lambda v: sigmoid(v.z),
    "tanh": lambda v: math.tanh(v.z),
    "relu": lambda v: max(v.z, 0.0),
    "linear": lambda v: v.z,
    "softmax": lambda v: softmax(v.z, v.zs),
    "squared_error": squared_error,
    "cross_entropy": cross_entropy,
    "difference": lambda v: v.y - v.t,
    "sigmoid_gain": lambda v: v.a * (1 - v.a),
    "tanh_gain": lambda v: 1 - v.a * v.a,
    "relu_gain": lambda v: 1.0 if v.z > 0 else 0.0,
    "linear_gain": lambda v: 1.0,
    "amplify": lambda v: v.gain * v.input,  # the op-amp: its gain times what comes in
    "dot": lambda v: dot(v.w, v.d),
    "input_times_delta": lambda v: v.a * v.d,
    "input": lambda v: v.a,  # ∂z/∂w: the input on the weight's edge
    "same": lambda v: v.d,
    "scaled": lambda v: v.local * v.d,  # a local derivative the learner knows, times ∂l/∂z
    "sum": lambda v: math.fsum(v.g.values()),
    "descent": lambda v: v.w - v.rate * v.g,
    "expression": lambda v: expr.evaluate(v.tree, getattr(v, "name", {})),
    "chain": chain,
}
FAILED = (ArithmeticError, ValueError)  # a rule or mistake undefined in some world: no value


@dataclass(frozen=True)
class Step:
    id: str
    phase: str
    kind: str
    form: str  # which known mistakes apply: the kind, with the activation or loss ("a.sigmoid")
    asks: str  # what is asked, in words
    symbol: str  # the quantity: "z₃", "∂l/∂z₅"
    formula: str  # its right-hand side in symbols
    value: float
    rule: str
    operands: tuple[Operand, ...]  # the formula's, in order
    places: int  # the answer is given, and the value shown, to this many decimal places
    # why: "lesson", "small" (2 significant digits), "apart" or "small_apart" (see bptui.precision:
    # more, so that no known mistake looks the same on screen)
    precision: str = "lesson"
    context: tuple[Operand, ...] = ()  # numbers only known mistakes use
    scaffold: str = "numbers"  # what the card gives before the answer (lesson.SCAFFOLDS)
    activation: str = ""
    sample: int | None = None  # 1-based, like every index below
    layer: int | None = None  # 1 = the first hidden layer
    neuron: int | None = None
    source: int | None = None  # for a weight: the unit of the layer before
    note: str = ""  # said before the answer: symbols only, no number not yet known
    after: str = ""  # said once the step is done: the chain-rule products with their numbers
    # The edges the step uses: (layer, neuron, source) of weights, or (parent, child) in a graph.
    edges: tuple = ()
    terms: tuple[tuple[object, str], ...] = ()  # (k, how term k is written), for sums
    # The roles of operands the picture does not show (a gradient): the card lists them as known,
    # whatever its scaffold, so a step can be set up from what is on screen.
    given: tuple[str, ...] = ()
    mistakes: tuple = ()  # bptui.mistakes.Mistake: the known mistakes this step can tell apart
    asked: bool = True
    hints: tuple[str, ...] = ()  # the rule, then the numbers worked part of the way
    expression: tuple = ()  # graph lessons: the formula as a tree
    node: str = ""  # graph lessons: the node the step is about

    @property
    def all_operands(self) -> tuple[Operand, ...]:
        return self.operands + self.context

    @property
    def shown(self) -> str:
        return shown_at(self.value, self.places)

    @property
    def needs(self) -> tuple[str, ...]:
        """The steps whose values the formula uses, in order, each once."""
        return tuple(dict.fromkeys(o.step for o in self.operands if o.step))

    def values(self, world: str = "exact", carried: Mapping[str, float] | None = None) -> Values:
        """The operands in one world: exact, as on screen, or with the learner's own answers."""
        if world == "exact":
            numbers = [o.value for o in self.all_operands]
        elif world == "screen" or not carried:
            numbers = [o.on_screen for o in self.all_operands]
        elif world == "carried_shown":  # the learner's answers as the tutor said them back
            numbers = [read_shown(shown_at(carried[o.step], o.places or 0)) if o.step in carried
                       else o.on_screen for o in self.all_operands]  # fmt: skip
        else:
            numbers = [carried.get(o.step, o.on_screen) for o in self.all_operands]
        return Values(self, numbers)

    def compute(self, values: Values) -> float:
        """The step's rule applied to one world's operands (NaN where it is undefined)."""
        try:
            return float(RULES[self.rule](values))
        except FAILED:
            return math.nan

    def from_shown(self) -> float:
        """The value worked out from the rounded numbers the learner sees on screen."""
        return self.compute(self.values("screen"))

    @property
    def rounded_on_screen(self) -> bool:
        """Whether the rounded numbers on screen give a different result, or one halfway between
        two roundings (0.000495 for 0.00049): the card then says ≈."""
        worked = self.from_shown()
        return math.isfinite(worked) and (
            not same_at(worked, self.value, self.places) or on_half(worked, self.places)
        )

    def filled(self, texts: Mapping[str, str]) -> str:
        """The formula with each symbol that has a text put in (the others stay symbols)."""
        if self.expression:
            return expr.to_text(self.expression, texts)
        whole = {o.symbol: o.symbol for o in self.operands}  # ∂l/∂b₆ is matched whole, so its
        return fill(self.formula, whole | dict(texts))  # b₆ is never put in alone

    @property
    def numbers(self) -> str:
        """The formula with every number put in, as the key prints it."""
        return self.filled({o.symbol: o.text for o in self.operands})

    @property
    def fixed(self) -> str:
        """The value to exactly the places asked, trailing zeros kept: "0.10" when 2 are asked."""
        return rounded(self.value, self.places).replace("-", "−")


_INDEX_CHARS = "₀₁₂₃₄₅₆₇₈₉,"


def fill(formula: str, texts: Mapping[str, str]) -> str:
    """Put each symbol's text in place of every occurrence of it (longest symbols first)."""
    symbols = sorted(texts, key=len, reverse=True)
    out, at = [], 0
    while at < len(formula):
        for symbol in symbols:
            after = formula[at + len(symbol) : at + len(symbol) + 1]
            if formula.startswith(symbol, at) and (not after or after not in _INDEX_CHARS):
                text = texts[symbol]
                before = formula[at - 1 : at]
                if text.startswith("(") and before in ("", "(") and after in ("", ")", " ", ","):
                    text = text[1:-1]  # "σ(−2)", not "σ((−2))"
                out.append(text)
                at += len(symbol)
                break
        else:
            out.append(formula[at])
            at += 1
    return "".join(out)
