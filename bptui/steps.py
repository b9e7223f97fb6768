"""The step model: the exact, ordered list of quantities a learner computes.

Built once from a lesson and the engine's trace. The tutor, `bptui key`, the replay and the tests
all read these same steps. Each step says what is asked, the formula in symbols, the same formula
with the numbers put in, the value, and the known mistakes with the value each would give.

`RULES` recomputes a step from its operands, so an answer worked out from the rounded numbers on
screen can be accepted too; the value itself always comes from the engine.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from bptui import engine, expr
from bptui.glossary import rule_hint
from bptui.i18n import t
from bptui.lesson import Lesson
from bptui.notation import given, name_with_subscript, operand, pair, shown, shown_value, sub, sup


def _pairs(values):
    return zip(values[0::2], values[1::2], strict=True)


def _sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))


def _softmax(zj: float, *zs: float) -> float:
    top = max(zs)
    return math.exp(zj - top) / sum(math.exp(z - top) for z in zs)


def _cross_entropy(*values: float) -> float:
    return -sum(
        t * math.log(y) if y > 0 else (0.0 if t == 0 else math.inf) for t, y in _pairs(values)
    )


def _gain_of(activation: str, x: float) -> float:
    """σ'(x) for a scalar x: used to name the mistake of taking σ' of a instead of z."""
    if activation == "sigmoid":
        return _sigmoid(x) * (1 - _sigmoid(x))
    if activation == "tanh":
        return 1 - math.tanh(x) ** 2
    return 1.0 if activation == "linear" or x > 0 else 0.0


# One rule a line: how a step's value follows from its operands.
RULES: dict[str, Callable[..., float]] = {
    "affine": lambda *v: sum(w * a for w, a in _pairs(v[:-1])) + v[-1],
    "sigmoid": _sigmoid,
    "tanh": math.tanh,
    "relu": lambda z: max(z, 0.0),
    "linear": lambda z: z,
    "softmax": _softmax,
    "half_squares": lambda *v: 0.5 * sum((y - t) ** 2 for y, t in _pairs(v)),
    "cross_entropy": _cross_entropy,
    "difference": lambda y, t: y - t,
    "sigmoid_gain": lambda a: a * (1 - a),
    "tanh_gain": lambda a: 1 - a * a,
    "relu_gain": lambda z: 1.0 if z > 0 else 0.0,
    "linear_gain": lambda z: 1.0,
    "product": lambda x, y: x * y,
    "dot": lambda *v: sum(w * d for w, d in _pairs(v)),
    "sum": lambda *v: sum(v),
    "same": lambda v: v,
    "descent": lambda w, rate, g: w - rate * g,
}


@dataclass(frozen=True)
class Operand:
    symbol: str
    value: float
    computed: bool  # worked out in an earlier step, so shown rounded; lesson data is exact


@dataclass(frozen=True)
class Step:
    id: str
    phase: str
    kind: str
    asks: str  # what is asked, in words
    symbol: str  # the quantity: "z₃", "∂l/∂z₅"
    formula: str  # its right-hand side in symbols
    numbers: str  # the same with the numbers put in (the chain-rule products)
    value: float
    rule: str
    operands: tuple[Operand, ...]
    decimals: int
    sample: int | None = None  # 1-based, like every index below
    layer: int | None = None  # 1 = the first hidden layer
    neuron: int | None = None
    source: int | None = None  # for a weight: the unit of the layer before
    note: str = ""
    # The edges the step uses: (layer, neuron, source) of weights, or (parent, child) in a graph.
    edges: tuple = ()
    mistakes: tuple[tuple[str, float], ...] = ()
    asked: bool = True
    hints: tuple[str, ...] = ()  # in stages: the rule, then the numbers worked part of the way
    expression: tuple = ()  # graph lessons: the formula as a tree (rule "expression")
    node: str = ""  # graph lessons: the node the step is about

    @property
    def shown(self) -> str:
        return shown(self.value, self.decimals)

    def from_shown(self) -> float:
        """The value worked out from the rounded numbers the learner sees on screen."""
        values = [
            shown_value(o.value, self.decimals) if o.computed else o.value for o in self.operands
        ]
        try:
            if self.rule == "expression":
                env = dict(zip((o.symbol for o in self.operands), values, strict=True))
                return expr.evaluate(self.expression, env)
            return float(RULES[self.rule](*values))
        except (ValueError, OverflowError, ZeroDivisionError):  # ExprError is a ValueError
            return math.nan


class _Builder:
    def __init__(self, lesson: Lesson, trace: engine.Trace):
        self.lesson = lesson
        self.trace = trace
        self.decimals = lesson.decimals
        self.steps: list[Step] = []
        self.first_unit = []  # global neuron numbering, as in the seed: z₁, z₂ | z₃, z₄ | z₅, z₆
        count = 0
        for layer in lesson.layers:
            self.first_unit.append(count)
            count += layer.width
        self.sample = 1
        self.many_samples = len(lesson.samples) > 1

    # --- names ---

    def unit(self, layer: int, j: int) -> int:
        return self.first_unit[layer - 1] + j

    def is_output(self, layer: int) -> bool:
        return layer == len(self.lesson.layers)

    def z(self, layer: int, j: int) -> str:
        return "z" + sub(self.unit(layer, j))

    def a(self, layer: int, j: int) -> str:
        """An activation; layer 0 is the input, and the output layer's are called y."""
        if layer == 0:
            return name_with_subscript(self.lesson.inputs[j - 1])
        return ("y" + sub(j)) if self.is_output(layer) else "a" + sub(self.unit(layer, j))

    def w(self, layer: int, j: int, k: int) -> str:
        source = k if layer == 1 else self.unit(layer - 1, k)
        return "w" + pair(self.unit(layer, j), source)

    def b(self, layer: int, j: int) -> str:
        return "b" + sub(self.unit(layer, j))

    def where(self, layer: int, j: int) -> str:
        return t("where_output" if self.is_output(layer) else "where", j=j, layer=layer)

    def input_text(self, value: float, computed: bool) -> str:
        text = operand(value, self.decimals) if computed else given(value)
        return text.strip("()")

    def of_sample(self) -> str:
        return t("of_sample", n=self.sample) if self.many_samples else ""

    # --- emitting ---

    def add(
        self,
        phase: str,
        kind: str,
        id: str,
        symbol: str,
        formula: str,
        rule: str,
        operands: list[Operand],
        value: float,
        asks: str,
        **extra,
    ) -> None:
        texts = [
            given(o.value) if not o.computed else operand(o.value, self.decimals) for o in operands
        ]
        numbers = _fill(formula, operands, texts)
        layer = extra.get("layer")
        activation = self.lesson.layers[layer - 1].activation if layer else ""
        hints = (
            self.rule_hint(phase, kind, activation),
            self.worked(rule, operands, texts, numbers),
        )
        mistakes = fill_mistakes(extra.pop("mistakes", ()), value, self.decimals)
        self.steps.append(
            Step(
                id=id,
                phase=phase,
                kind=kind,
                asks=asks + self.of_sample(),
                symbol=symbol,
                formula=formula,
                numbers=numbers,
                value=float(value),
                rule=rule,
                operands=tuple(operands),
                decimals=self.decimals,
                mistakes=mistakes,
                asked=phase in self.lesson.ask,
                hints=hints,
                **extra,
            )
        )

    def rule_hint(self, phase: str, kind: str, activation: str) -> str:
        if kind in ("a", "gain"):
            return rule_hint(f"{kind}.{activation}")
        if kind == "loss":
            return rule_hint(f"loss.{self.lesson.loss}")
        if kind == "dl_dz":
            return rule_hint("dl_dz.softmax" if activation == "softmax" else f"dl_dz.{phase}")
        return rule_hint(kind)

    def worked(self, rule: str, operands: list[Operand], texts: list[str], numbers: str) -> str:
        """The second hint: the numbers worked part of the way, from the values on screen."""
        d = self.decimals
        seen = [shown_value(o.value, d) if o.computed else o.value for o in operands]
        if rule in ("affine", "dot"):
            pairs = list(zip(texts[0::2], texts[1::2], strict=False))
            values = list(zip(seen[0::2], seen[1::2], strict=False))
            parts = [
                f"{x}·{y} = {shown(vx * vy, d)}"
                for (x, y), (vx, vy) in zip(pairs, values, strict=False)
            ]
            tail = t("worked.affine", b=texts[-1]) if rule == "affine" else t("worked.dot")
            return ", ".join(parts) + tail
        if rule == "sigmoid":
            return t("worked.sigmoid", z=texts[0], e=shown(math.exp(-seen[0]), d))
        if rule == "sigmoid_gain":
            return t("worked.sigmoid_gain", a=texts[0], rest=shown(1 - seen[0], d))
        if rule == "half_squares":
            parts = [
                f"({y} − {goal})² = {shown((vy - vt) ** 2, d)}"
                for (y, goal), (vy, vt) in zip(
                    zip(texts[0::2], texts[1::2], strict=True),
                    zip(seen[0::2], seen[1::2], strict=True),
                    strict=True,
                )
            ]
            return ", ".join(parts) + t("worked.half_squares")
        return t("worked.default", numbers=numbers)

    # --- the phases ---

    def build(self) -> list[Step]:
        for n, sample in enumerate(self.trace.samples, start=1):
            self.sample = n
            self.forward(sample)
            self.loss(sample)
            self.output(sample)
            self.backward(sample)
            self.gradients(sample)
        self.sample = None
        if self.many_samples:
            self.totals()
        self.updates()
        return self.steps

    def forward(self, s: engine.SampleTrace) -> None:
        n = self.sample
        for layer, (lt, spec) in enumerate(zip(s.layers, self.lesson.layers, strict=True), 1):
            computed = layer > 1
            for j in range(1, spec.width + 1):
                weights = spec.weights[j - 1]
                terms = []
                operands = []
                for k, (wk, ak) in enumerate(zip(weights, lt.inputs, strict=True), 1):
                    terms.append(f"{self.w(layer, j, k)}·{self.a(layer - 1, k)}")
                    operands += [
                        Operand(self.w(layer, j, k), wk, False),
                        Operand(self.a(layer - 1, k), float(ak), computed),
                    ]
                operands.append(Operand(self.b(layer, j), spec.biases[j - 1], False))
                z = float(lt.z[j - 1])
                products = [wk * float(ak) for wk, ak in zip(weights, lt.inputs, strict=True)]
                mistakes = (
                    [("bias_forgotten", z - spec.biases[j - 1])] if spec.biases[j - 1] else []
                )
                mistakes += [("term_missing", z - p) for p in products if p]
                if spec.width >= len(weights) and j <= len(weights):  # W[k][j] exists for every k
                    swapped = sum(
                        spec.weights[k][j - 1] * float(lt.inputs[k]) for k in range(len(weights))
                    )
                    mistakes.append(("weights_transposed", swapped + spec.biases[j - 1]))
                mistakes.append(("a_for_z", float(lt.a[j - 1])))
                partials = ", ".join(
                    f"∂{self.z(layer, j)}/∂{self.w(layer, j, k)} = {self.a(layer - 1, k)}"
                    f" = {self.input_text(float(ak), computed)}"
                    for k, ak in enumerate(lt.inputs, 1)
                )
                self.add(
                    "forward",
                    "z",
                    f"s{n}.forward.L{layer}.n{j}.z",
                    self.z(layer, j),
                    " + ".join(terms) + f" + {self.b(layer, j)}",
                    "affine",
                    operands,
                    z,
                    t("asks.z", z=self.z(layer, j), where=self.where(layer, j)),
                    sample=n,
                    layer=layer,
                    neuron=j,
                    note=t("note.z", partials=partials),
                    edges=tuple((layer, j, k) for k in range(1, len(weights) + 1)),
                    mistakes=mistakes,
                )
                self.activation_step(s, layer, j)

    def activation_step(self, s: engine.SampleTrace, layer: int, j: int) -> None:
        lt = s.layers[layer - 1]
        spec = self.lesson.layers[layer - 1]
        z_sym, a_sym = self.z(layer, j), self.a(layer, j)
        z_op = Operand(z_sym, float(lt.z[j - 1]), True)
        if spec.activation == "softmax":
            zs = [Operand(self.z(layer, i), float(v), True) for i, v in enumerate(lt.z, 1)]
            formula = f"e^{z_sym} / (" + " + ".join(f"e^{o.symbol}" for o in zs) + ")"
            operands, kind_text = [z_op, *zs], "softmax"
        else:
            formula = {
                "sigmoid": f"σ({z_sym})",
                "tanh": f"tanh({z_sym})",
                "relu": f"max(0, {z_sym})",
                "linear": z_sym,
            }[spec.activation]
            operands, kind_text = [z_op], spec.activation
        self.add(
            "forward",
            "a",
            f"s{self.sample}.forward.L{layer}.n{j}.a",
            a_sym,
            formula,
            spec.activation,
            operands,
            float(lt.a[j - 1]),
            t("asks.a", a=a_sym, where=self.where(layer, j), activation=kind_text),
            sample=self.sample,
            layer=layer,
            neuron=j,
            mistakes=[("a_for_z", float(lt.z[j - 1]))],
        )

    def loss(self, s: engine.SampleTrace) -> None:
        out = s.layers[-1]
        last = len(self.lesson.layers)
        operands: list[Operand] = []
        if self.lesson.loss == "squared_error":
            terms = []
            for j, (y, goal) in enumerate(zip(out.a, s.target, strict=True), 1):
                terms.append(f"({self.a(last, j)} − ŷ{sub(j)})²")
                operands += [
                    Operand(self.a(last, j), float(y), True),
                    Operand(f"ŷ{sub(j)}", float(goal), False),
                ]
            formula, rule = "½[" + " + ".join(terms) + "]", "half_squares"
            mistakes = [("half_forgotten", 2 * s.loss)]
        else:
            terms = []
            for j, (y, goal) in enumerate(zip(out.a, s.target, strict=True), 1):
                terms.append(f"ŷ{sub(j)}·ln {self.a(last, j)}")
                operands += [
                    Operand(f"ŷ{sub(j)}", float(goal), False),
                    Operand(self.a(last, j), float(y), True),
                ]
            formula, rule, mistakes = "−(" + " + ".join(terms) + ")", "cross_entropy", []
        self.add(
            "loss",
            "loss",
            f"s{self.sample}.loss",
            "l",
            formula,
            rule,
            operands,
            s.loss,
            t("asks.loss"),
            sample=self.sample,
            mistakes=mistakes,
        )

    def output(self, s: engine.SampleTrace) -> None:
        layer = len(self.lesson.layers)
        spec = self.lesson.output
        lt = s.layers[-1]
        n = self.sample
        for j in range(1, spec.width + 1):
            y = Operand(self.a(layer, j), float(lt.a[j - 1]), True)
            target = Operand(f"ŷ{sub(j)}", float(s.target[j - 1]), False)
            base = f"s{n}.output.L{layer}.n{j}"
            dl_dz = float(lt.dl_dz[j - 1])
            z_sym = self.z(layer, j)
            if spec.activation == "softmax":
                self.add(
                    "output",
                    "dl_dz",
                    f"{base}.dl_dz",
                    f"∂l/∂{z_sym}",
                    f"{y.symbol} − {target.symbol}",
                    "difference",
                    [y, target],
                    dl_dz,
                    t("asks.dl_dz_softmax", z=z_sym, where=self.where(layer, j)),
                    sample=n,
                    layer=layer,
                    neuron=j,
                    mistakes=[("sign_flipped", -dl_dz)],
                    note=t("note.softmax"),
                )
                continue
            dl_dy = float(s.dl_dy[j - 1])
            self.add(
                "output",
                "dl_dy",
                f"{base}.dl_dy",
                f"∂l/∂{y.symbol}",
                f"{y.symbol} − {target.symbol}",
                "difference",
                [y, target],
                dl_dy,
                t("asks.dl_dy", y=y.symbol, j=j),
                sample=n,
                layer=layer,
                neuron=j,
                mistakes=[("sign_flipped", -dl_dy)],
                note=t("note.dl_dy"),
            )
            gain = self.gain_step(base, lt, layer, j)
            self.add(
                "output",
                "dl_dz",
                f"{base}.dl_dz",
                f"∂l/∂{z_sym}",
                f"σ'({z_sym})·∂l/∂{y.symbol}",
                "product",
                [Operand(f"σ'({z_sym})", gain, True), Operand(f"∂l/∂{y.symbol}", dl_dy, True)],
                dl_dz,
                t("asks.dl_dz_output", z=z_sym, where=self.where(layer, j)),
                sample=n,
                layer=layer,
                neuron=j,
                mistakes=[("gain_left_out", dl_dy), ("sign_flipped", -dl_dz)],
                note=t("note.case1", z=z_sym, y=y.symbol),
            )

    def gain_step(self, base: str, lt: engine.LayerTrace, layer: int, j: int) -> float:
        """σ'(z): the op-amp's gain, fixed by the forward pass."""
        spec = self.lesson.layers[layer - 1]
        z_sym, a_sym = self.z(layer, j), self.a(layer, j)
        z, a, gain = float(lt.z[j - 1]), float(lt.a[j - 1]), float(lt.gain[j - 1])
        formula, operands, mistakes = {
            "sigmoid": (
                f"{a_sym}·(1 − {a_sym})",
                [Operand(a_sym, a, True)],
                [("gain_of_a", _gain_of("sigmoid", a)), ("a_for_z", z * (1 - z))],
            ),
            "tanh": (
                f"1 − {a_sym}²",
                [Operand(a_sym, a, True)],
                [("gain_of_a", _gain_of("tanh", a)), ("a_for_z", 1 - z * z)],
            ),
            "relu": (f"1 if {z_sym} > 0 else 0", [Operand(z_sym, z, True)], []),
            "linear": ("1", [], []),
        }[spec.activation]
        if spec.activation == "linear":
            operands = [Operand(z_sym, z, True)]
        self.add(
            "output" if self.is_output(layer) else "backward",
            "gain",
            f"{base}.gain",
            f"σ'({z_sym})",
            formula,
            f"{spec.activation}_gain",
            operands,
            gain,
            t("asks.gain", z=z_sym, where=self.where(layer, j), activation=spec.activation),
            sample=self.sample,
            layer=layer,
            neuron=j,
            mistakes=mistakes,
            note=t("note.gain"),
        )
        return gain

    def backward(self, s: engine.SampleTrace) -> None:
        n = self.sample
        for layer in range(len(self.lesson.layers) - 1, 0, -1):
            lt, after = s.layers[layer - 1], s.layers[layer]
            following = self.lesson.layers[layer]  # its weights carry ∂l/∂z back
            for j in range(1, lt.z.size + 1):
                base = f"s{n}.backward.L{layer}.n{j}"
                z_sym = self.z(layer, j)
                gain = self.gain_step(base, lt, layer, j)
                terms, operands, products = [], [], []
                for k in range(1, following.width + 1):
                    wk, dk = following.weights[k - 1][j - 1], float(after.dl_dz[k - 1])
                    w_sym, d_sym = self.w(layer + 1, k, j), f"∂l/∂{self.z(layer + 1, k)}"
                    terms.append(f"{w_sym}·{d_sym}")
                    operands += [Operand(w_sym, wk, False), Operand(d_sym, dk, True)]
                    products.append(wk * dk)
                total = float(lt.weighted_sum[j - 1])
                mistakes = [("term_missing", total - p) for p in products if p]
                if following.width == lt.z.size:  # a square matrix can be read the wrong way
                    swapped = sum(
                        following.weights[j - 1][k] * float(after.dl_dz[k])
                        for k in range(following.width)
                    )
                    mistakes.append(("weights_transposed", swapped))
                self.add(
                    "backward",
                    "sum",
                    f"{base}.sum",
                    f"∂l/∂{self.a(layer, j)}",
                    " + ".join(terms),
                    "dot",
                    operands,
                    total,
                    t("asks.sum", a=self.a(layer, j), where=self.where(layer, j)),
                    sample=n,
                    layer=layer,
                    neuron=j,
                    mistakes=mistakes,
                    edges=tuple((layer + 1, k, j) for k in range(1, following.width + 1)),
                    note=t("note.sum"),
                )
                dl_dz = float(lt.dl_dz[j - 1])
                gain_of_a = _gain_of(self.lesson.layers[layer - 1].activation, float(lt.a[j - 1]))
                self.add(
                    "backward",
                    "dl_dz",
                    f"{base}.dl_dz",
                    f"∂l/∂{z_sym}",
                    f"σ'({z_sym})·∂l/∂{self.a(layer, j)}",
                    "product",
                    [
                        Operand(f"σ'({z_sym})", gain, True),
                        Operand(f"∂l/∂{self.a(layer, j)}", total, True),
                    ],
                    dl_dz,
                    t("asks.dl_dz_hidden", z=z_sym, where=self.where(layer, j)),
                    sample=n,
                    layer=layer,
                    neuron=j,
                    mistakes=[("gain_left_out", total), ("gain_of_a", gain_of_a * total)],
                    note=t("note.case2", z=z_sym),
                )

    def gradients(self, s: engine.SampleTrace) -> None:
        n = self.sample
        for layer, lt in enumerate(s.layers, 1):
            for j in range(1, lt.z.size + 1):
                z_sym = self.z(layer, j)
                d = Operand(f"∂l/∂{z_sym}", float(lt.dl_dz[j - 1]), True)
                for k in range(1, lt.inputs.size + 1):
                    a_k = Operand(self.a(layer - 1, k), float(lt.inputs[k - 1]), layer > 1)
                    w_sym = self.w(layer, j, k)
                    mistakes = []
                    if layer > 1:
                        z_before = float(s.layers[layer - 2].z[k - 1])
                        mistakes.append(("a_for_z", z_before * d.value))
                    self.add(
                        "gradient",
                        "dl_dw",
                        f"s{n}.gradient.L{layer}.n{j}.w{k}",
                        f"∂l/∂{w_sym}",
                        f"{a_k.symbol}·∂l/∂{z_sym}",
                        "product",
                        [a_k, d],
                        float(lt.dl_dw[j - 1, k - 1]),
                        t("asks.dl_dw", w=w_sym, a=a_k.symbol, z=z_sym),
                        sample=n,
                        layer=layer,
                        neuron=j,
                        source=k,
                        edges=((layer, j, k),),
                        mistakes=mistakes,
                        note=t("note.dl_dw", w=w_sym, z=z_sym, a=a_k.symbol),
                    )
                b_sym = self.b(layer, j)
                self.add(
                    "gradient",
                    "dl_db",
                    f"s{n}.gradient.L{layer}.n{j}.b",
                    f"∂l/∂{b_sym}",
                    f"∂l/∂{z_sym}",
                    "same",
                    [d],
                    float(lt.dl_db[j - 1]),
                    t("asks.dl_db", b=b_sym, z=z_sym),
                    sample=n,
                    layer=layer,
                    neuron=j,
                    note=t("note.dl_db", z=z_sym, b=b_sym),
                )

    def parameters(self):
        """Each weight and bias: (layer, j, k or None, symbol, id suffix)."""
        for layer, spec in enumerate(self.lesson.layers, 1):
            for j in range(1, spec.width + 1):
                for k in range(1, len(spec.weights[0]) + 1):
                    yield layer, j, k, self.w(layer, j, k), f"L{layer}.n{j}.w{k}"
                yield layer, j, None, self.b(layer, j), f"L{layer}.n{j}.b"

    def per_sample(self, layer: int, j: int, k: int | None) -> list[float]:
        return [
            float(
                s.layers[layer - 1].dl_dw[j - 1, k - 1] if k else s.layers[layer - 1].dl_db[j - 1]
            )
            for s in self.trace.samples
        ]

    def totals(self) -> None:
        for layer, j, k, sym, suffix in self.parameters():
            values = self.per_sample(layer, j, k)
            operands = [Operand(f"∂l{sup(n)}/∂{sym}", v, True) for n, v in enumerate(values, 1)]
            total = float(
                self.trace.dl_dw[layer - 1][j - 1, k - 1]
                if k
                else self.trace.dl_db[layer - 1][j - 1]
            )
            self.add(
                "total",
                "total",
                f"total.{suffix}",
                f"∂L/∂{sym}",
                " + ".join(o.symbol for o in operands),
                "sum",
                operands,
                total,
                t("asks.total", sym=sym, n=len(values)),
                layer=layer,
                neuron=j,
                source=k,
                mistakes=[("term_missing", total - v) for v in values if v],
            )

    def updates(self) -> None:
        rate = self.lesson.learning_rate
        for layer, j, k, sym, suffix in self.parameters():
            old = (
                self.lesson.layers[layer - 1].weights[j - 1][k - 1]
                if k
                else self.lesson.layers[layer - 1].biases[j - 1]
            )
            grad = float(
                self.trace.dl_dw[layer - 1][j - 1, k - 1]
                if k
                else self.trace.dl_db[layer - 1][j - 1]
            )
            new = float(
                self.trace.updated_weights[layer - 1][j - 1, k - 1]
                if k
                else self.trace.updated_biases[layer - 1][j - 1]
            )
            grad_sym = f"∂L/∂{sym}" if self.many_samples else f"∂l/∂{sym}"
            self.add(
                "update",
                "update",
                f"update.{suffix}",
                f"new {sym}",
                f"{sym} − η·{grad_sym}",
                "descent",
                [
                    Operand(sym, old, False),
                    Operand("η", rate, False),
                    Operand(grad_sym, grad, True),
                ],
                new,
                t("asks.update", sym=sym),
                layer=layer,
                neuron=j,
                source=k,
                edges=((layer, j, k),) if k else (),
                mistakes=[("gradient_ascent", old + rate * grad)],
            )


def fill_mistakes(candidates, value: float, decimals: int) -> tuple[tuple[str, float], ...]:
    """The known mistakes whose wrong value would look different from the right one on screen."""
    return tuple(
        (name, float(wrong))
        for name, wrong in candidates
        if math.isfinite(wrong) and shown(wrong, decimals) != shown(value, decimals)
    )


_INDEX_CHARS = "₀₁₂₃₄₅₆₇₈₉,"


def _fill(formula: str, operands: list[Operand], texts: list[str]) -> str:
    """Put each operand's number in place of every occurrence of its symbol (longest first)."""
    by_symbol = dict(zip((o.symbol for o in operands), texts, strict=True))
    symbols = sorted(by_symbol, key=len, reverse=True)
    out, at = [], 0
    while at < len(formula):
        for symbol in symbols:
            after = formula[at + len(symbol) : at + len(symbol) + 1]
            if formula.startswith(symbol, at) and (not after or after not in _INDEX_CHARS):
                text = by_symbol[symbol]
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


def build(lesson, trace=None) -> list[Step]:
    """Every step of a lesson (a network or a chain-rule graph), asked or shown, in tutor order."""
    from bptui.lesson import GraphLesson

    if isinstance(lesson, GraphLesson):
        from bptui.graph import build_steps

        return build_steps(lesson, trace)
    return _Builder(lesson, trace or engine.run(lesson)).build()


def asked(steps: list[Step]) -> list[Step]:
    return [s for s in steps if s.asked]
