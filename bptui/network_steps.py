"""The steps of a network lesson, in tutor order: forward pass, loss, output layer (case 1), the
hidden op-amps (case 2), the gradients, the sum over samples, and one step of gradient descent.

Every value comes from the engine's trace; every operand that an earlier step worked out refers to
that step, so the tutor can show it rounded as that step was, or as the learner answered it.
"""

from __future__ import annotations

import math
from dataclasses import replace

from bptui import engine
from bptui.glossary import rule_hint
from bptui.i18n import t
from bptui.lesson import Lesson
from bptui.model import Operand, Step
from bptui.notation import (
    agrees,
    derivative_name,
    name_with_subscript,
    pair,
    read_shown,
    shown_at,
    sub,
    sup,
)
from bptui.precision import settle

FORMULAS = {"sigmoid": "σ({z})", "tanh": "tanh({z})", "relu": "max(0, {z})", "linear": "{z}"}
GAIN_FORMULAS = {"sigmoid": "{a}·(1 − {a})", "tanh": "1 − {a}²", "relu": "1 if {z} > 0 else 0",
                 "linear": "1"}  # fmt: skip


class NetworkSteps:
    def __init__(self, lesson: Lesson, trace: engine.Trace):
        self.lesson = lesson
        self.trace = trace
        self.steps: list[Step] = []
        self.by_id: dict[str, Step] = {}
        self.first_unit = []  # global neuron numbering, as in the seed: z₁, z₂ | z₃, z₄ | z₅, z₆
        count = 0
        for layer in lesson.layers:
            self.first_unit.append(count)
            count += layer.width
        self.n = 1  # the sample being worked on
        self.many_samples = len(lesson.samples) > 1

    def build(self) -> list[Step]:
        for n, sample in enumerate(self.trace.samples, start=1):
            self.n = n
            self.forward(sample)
            if "dz_dw" in self.lesson.ask:
                self.partials(sample)
            self.loss(sample)
            self.output(sample)
            self.backward(sample)
            self.gradients(sample)
        self.n = None
        if self.many_samples:
            self.totals()
        self.updates()
        return self.steps

    # --- names and ids ---

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

    def gain_symbol(self, layer: int, j: int) -> str:
        """The op-amp's gain, written with the layer's own activation: σ'(z₁), tanh'(z₃)."""
        activation = self.lesson.layers[layer - 1].activation
        return f"{derivative_name(activation)}({self.z(layer, j)})"

    def where(self, layer: int, j: int) -> str:
        return t("where_output" if self.is_output(layer) else "where", j=j, layer=layer)

    def id(self, layer: int, j: int, what: str) -> str:
        """The id of a step about neuron j of a layer, in the current sample."""
        phase = {"z": "forward", "a": "forward", "dl_dy": "output"}.get(what)
        if phase is None:  # gain and dl_dz belong to the output layer's phase or the op-amps'
            phase = "output" if self.is_output(layer) else "backward"
        return f"s{self.n}.{phase}.L{layer}.n{j}.{what}"

    # --- operands ---

    def ref(self, step_id: str, symbol: str, role: str, k=None, in_formula: bool = True) -> Operand:
        """An operand worked out by an earlier step: shown as that step shows it."""
        step = self.by_id[step_id]
        return Operand(symbol, step.value, role, k, step_id, step.places, in_formula)

    def unit_output(self, layer: int, k: int, role: str, key=None, in_formula=True) -> Operand:
        """The activation of unit k of a layer: an input (lesson data) or an earlier step's a."""
        if layer == 0:
            x = self.lesson.samples[self.n - 1].x[k - 1]
            return Operand(self.a(0, k), x, role, key, in_formula=in_formula)
        return self.ref(self.id(layer, k, "a"), self.a(layer, k), role, key, in_formula)

    def weight(self, layer: int, j: int, k: int, role: str, key=None, in_formula=True) -> Operand:
        value = self.lesson.layers[layer - 1].weights[j - 1][k - 1]
        return Operand(self.w(layer, j, k), value, role, key, in_formula=in_formula)

    # --- emitting ---

    def add(self, phase: str, kind: str, form: str, step_id: str, symbol: str, formula: str,
            rule: str, operands: list[Operand], value: float, asks: str,
            **extra) -> Step:  # fmt: skip
        layer = extra.get("layer")
        activation = self.lesson.layers[layer - 1].activation if layer else ""
        first = self.by_id.get(step_id.replace(f"s{self.n}.", "s1.", 1)) if self.n != 1 else None
        if first is not None and first.kind == kind:  # the same step of sample 1: a slip to name
            extra["context"] = (*extra.get("context", ()), Operand(
                first.symbol, first.value, "same_in_sample_1", None, first.id, first.places, False
            ))  # fmt: skip
        draft = Step(
            id=step_id, phase=phase, kind=kind, form=form, asks=asks + self.of_sample(),
            symbol=symbol, formula=formula, value=float(value), rule=rule,
            operands=tuple(operands), places=self.lesson.decimals, activation=activation,
            sample=self.n, asked=phase in self.lesson.ask,
            scaffold=extra.pop("scaffold", self.lesson.scaffold), **extra,
        )  # fmt: skip
        step = settle(draft, self.lesson.decimals)
        hints = (self.rule_hint(step), worked(step))
        step = replace(step, hints=hints)
        self.steps.append(step)
        self.by_id[step.id] = step
        return step

    def of_sample(self) -> str:
        return t("of_sample", n=self.n) if self.many_samples and self.n else ""

    def rule_hint(self, step: Step) -> str:
        if step.kind in ("a", "gain"):
            return rule_hint(f"{step.kind}.{step.activation}")
        if step.kind == "loss":
            return rule_hint(f"loss.{self.lesson.loss}")
        if step.kind == "dl_dz":
            return rule_hint(f"dl_dz.{step.form.split('.')[1]}")
        return rule_hint(step.kind)

    # --- the forward pass ---

    def forward(self, s: engine.SampleTrace) -> None:
        for layer, (lt, spec) in enumerate(zip(s.layers, self.lesson.layers, strict=True), 1):
            if spec.activation == "softmax":  # every y needs every z: the z's come first
                for j in range(1, spec.width + 1):
                    self.weighted_input(lt, layer, j)
                for j in range(1, spec.width + 1):
                    self.activation(lt, layer, j)
                continue
            for j in range(1, spec.width + 1):
                self.weighted_input(lt, layer, j)
                self.activation(lt, layer, j)

    def weighted_input(self, lt: engine.LayerTrace, layer: int, j: int) -> None:
        spec = self.lesson.layers[layer - 1]
        fan_in = len(spec.weights[0])
        operands, terms = [], []
        for k in range(1, fan_in + 1):
            operands += [self.weight(layer, j, k, "w", k), self.unit_output(layer - 1, k, "a", k)]
            terms.append((k, f"{self.w(layer, j, k)}·{self.a(layer - 1, k)}"))
        operands.append(Operand(self.b(layer, j), spec.biases[j - 1], "b"))
        if layer > 1:  # the z behind each input, for the mistake of using it instead of a
            operands += [
                self.ref(self.id(layer - 1, k, "z"), self.z(layer - 1, k), "z_in", k, False)
                for k in range(1, fan_in + 1)
            ]
        if j <= fan_in and fan_in <= spec.width:  # row and column swapped: W[k][j] exists
            operands += [self.weight(layer, k, j, "w_t", k, False) for k in range(1, fan_in + 1)]
        operands += self.other_neurons(layer, j)
        if layer > 1 and fan_in == len(self.lesson.inputs):  # the network's inputs, for the a's
            operands += [self.unit_output(0, k, "x_in", k, False) for k in range(1, fan_in + 1)]
        partials = t("sep").join(
            f"∂{self.z(layer, j)}/∂{self.w(layer, j, k)} = {self.a(layer - 1, k)}"
            for k in range(1, fan_in + 1)
        )
        self.add(
            "forward", "z", "z", self.id(layer, j, "z"), self.z(layer, j),
            " + ".join(text for _, text in terms) + f" + {self.b(layer, j)}", "affine",
            [o for o in operands if o.in_formula], float(lt.z[j - 1]),
            t("asks.z", z=self.z(layer, j), where=self.where(layer, j)),
            context=tuple(o for o in operands if not o.in_formula), layer=layer, neuron=j,
            note="" if "dz_dw" in self.lesson.ask else t("note.z", partials=partials),
            terms=tuple(terms),
            edges=tuple((layer, j, k) for k in range(1, fan_in + 1)),
        )  # fmt: skip

    def partials(self, s: engine.SampleTrace) -> None:
        """∂z/∂w on every edge: the input on it. Asked with its formula kept back whatever the
        scaffold (the formula is the answer's whole point); the picture shows every input."""
        for layer, spec in enumerate(self.lesson.layers, 1):
            fan_in = len(spec.weights[0])
            for j in range(1, spec.width + 1):
                for k in range(1, fan_in + 1):
                    z_sym, w_sym = self.z(layer, j), self.w(layer, j, k)
                    a_k = replace(self.unit_output(layer - 1, k, "a"), hidden=True)
                    context = [self.weight(layer, j, k, "w", in_formula=False),
                               self.unit_output(layer, j, "a_own", in_formula=False)]  # fmt: skip
                    context += [self.unit_output(layer - 1, r, "a_other", r, in_formula=False)
                                for r in range(1, fan_in + 1) if r != k]  # fmt: skip
                    context += [self.weight(layer, j, r, "w_other", r, in_formula=False)
                                for r in range(1, fan_in + 1) if r != k]  # fmt: skip
                    context += [self.weight(layer, r, k, "w_same_source", r, in_formula=False)
                                for r in range(1, spec.width + 1) if r != j]  # fmt: skip
                    context.append(self.ref(self.id(layer, j, "z"), z_sym, "z_own",
                                            in_formula=False))  # fmt: skip
                    if layer > 1:
                        context.append(self.ref(self.id(layer - 1, k, "z"), self.z(layer - 1, k),
                                                "z_in", in_formula=False))  # fmt: skip
                    self.add(
                        "dz_dw", "dz_dw", "dz_dw", f"s{self.n}.dz_dw.L{layer}.n{j}.w{k}",
                        f"∂{z_sym}/∂{w_sym}", a_k.symbol, "input", [a_k], a_k.value,
                        t("asks.dz_dw", z=z_sym, w=w_sym), context=tuple(context), layer=layer,
                        neuron=j, source=k, edges=((layer, j, k),), scaffold="blank",
                    )  # fmt: skip

    def other_neurons(self, layer: int, j: int) -> list[Operand]:
        """Another neuron's weights and bias in this layer, for the mistake of using them."""
        spec = self.lesson.layers[layer - 1]
        found = []
        for r in range(1, spec.width + 1):
            if r == j:
                continue
            found.append(
                Operand(self.b(layer, r), spec.biases[r - 1], "b_other", r, in_formula=False)
            )
            found += [
                Operand(self.w(layer, r, c), w, "w_other", (r, c), in_formula=False)
                for c, w in enumerate(spec.weights[r - 1], 1)
            ]
        return found

    def activation(self, lt: engine.LayerTrace, layer: int, j: int) -> None:
        activation = self.lesson.layers[layer - 1].activation
        z_sym = self.z(layer, j)
        operands = [self.ref(self.id(layer, j, "z"), z_sym, "z")]
        if activation == "softmax":
            zs = [self.ref(self.id(layer, i, "z"), self.z(layer, i), "zs", i)
                  for i in range(1, len(lt.z) + 1)]  # fmt: skip
            formula = f"e^{z_sym} / (" + " + ".join(f"e^{o.symbol}" for o in zs) + ")"
            operands += zs
        else:
            formula = FORMULAS[activation].format(z=z_sym)
        self.add(
            "forward", "a", f"a.{activation}", self.id(layer, j, "a"), self.a(layer, j), formula,
            activation, operands, float(lt.a[j - 1]),
            t("asks.a", a=self.a(layer, j), where=self.where(layer, j), activation=activation),
            layer=layer, neuron=j,
        )  # fmt: skip

    # --- the loss ---

    def loss(self, s: engine.SampleTrace) -> None:
        last = len(self.lesson.layers)
        operands, terms, parts = [], [], []
        for j, goal in enumerate(s.target, 1):
            y = self.unit_output(last, j, "y", j)
            target = Operand(f"ŷ{sub(j)}", float(goal), "t", j)
            operands += [y, target] if self.lesson.loss == "squared_error" else [target, y]
            if self.lesson.loss == "squared_error":
                parts.append(f"({y.symbol} − {target.symbol})²")
                terms.append((j, parts[-1]))
            else:
                parts.append(f"{target.symbol}·ln {y.symbol}")
                terms.append((j, f"ln {y.symbol}"))
        formula = ("½[" + " + ".join(parts) + "]" if self.lesson.loss == "squared_error"
                   else "−(" + " + ".join(parts) + ")")  # fmt: skip
        self.add(
            "loss", "loss", f"loss.{self.lesson.loss}", f"s{self.n}.loss",
            f"l{sup(self.n)}" if self.many_samples else "l", formula,
            self.lesson.loss, operands, s.loss, t("asks.loss"), terms=tuple(terms),
        )  # fmt: skip

    # --- the output layer (case 1) ---

    def output(self, s: engine.SampleTrace) -> None:
        layer = len(self.lesson.layers)
        for j in range(1, self.lesson.output.width + 1):
            y = self.unit_output(layer, j, "y")
            target = Operand(f"ŷ{sub(j)}", float(s.target[j - 1]), "t")
            if self.lesson.output.activation == "softmax":
                self.add(
                    "output", "dl_dz", "dl_dz.softmax", self.id(layer, j, "dl_dz"),
                    f"∂l/∂{self.z(layer, j)}", f"{y.symbol} − {target.symbol}", "difference",
                    [y, target], float(s.layers[-1].dl_dz[j - 1]),
                    t("asks.dl_dz_softmax", z=self.z(layer, j), where=self.where(layer, j)),
                    layer=layer, neuron=j, note=t("note.softmax"),
                )  # fmt: skip
                continue
            self.add(
                "output", "dl_dy", "dl_dy", self.id(layer, j, "dl_dy"), f"∂l/∂{y.symbol}",
                f"{y.symbol} − {target.symbol}", "difference", [y, target],
                float(s.dl_dy[j - 1]), t("asks.dl_dy", y=y.symbol, j=j),
                context=tuple(self.output_context(s, layer, j)),
                layer=layer, neuron=j, note=t("note.dl_dy"),
            )  # fmt: skip
            self.gain(s.layers[-1], layer, j)
            dl_dy = self.ref(self.id(layer, j, "dl_dy"), f"∂l/∂{y.symbol}", "input")
            self.op_amp(
                s.layers[-1], layer, j, dl_dy, t("note.case1", z=self.z(layer, j), y=y.symbol)
            )

    def output_context(self, s: engine.SampleTrace, layer: int, j: int) -> list[Operand]:
        """What ∂l/∂y's mistakes use: this z, the other targets, every output's error, the loss."""
        width = self.lesson.output.width
        found = [self.ref(self.id(layer, j, "z"), self.z(layer, j), "z_own", in_formula=False),
                 self.ref(f"s{self.n}.loss", "l", "l", in_formula=False)]  # fmt: skip
        for k in range(1, width + 1):
            target = float(s.target[k - 1])
            found.append(Operand(f"ŷ{sub(k)}", target, "ts", k, in_formula=False))
            found.append(self.unit_output(layer, k, "ys", k, in_formula=False))
            if k != j:
                found.append(Operand(f"ŷ{sub(k)}", target, "t_other", k, in_formula=False))
        return found

    def gain(self, lt: engine.LayerTrace, layer: int, j: int) -> None:
        """σ'(z): the op-amp's gain, fixed by the forward pass."""
        activation = self.lesson.layers[layer - 1].activation
        z_sym, a_sym = self.z(layer, j), self.a(layer, j)
        a = self.ref(self.id(layer, j, "a"), a_sym, "a")
        z = self.ref(self.id(layer, j, "z"), z_sym, "z")
        uses_a = activation in ("sigmoid", "tanh")
        operands = [a] if uses_a else [z] if activation == "relu" else []
        context = (
            (Operand(z.symbol, z.value, "z", None, z.step, z.places, False),) if uses_a else ()
        )
        if activation == "linear":
            context = (Operand(z.symbol, z.value, "z", None, z.step, z.places, False),)
        others = [self.ref(self.id(layer, r, "a"), self.a(layer, r), "a_other", r, False)
                  for r in range(1, len(lt.z) + 1) if r != j]  # fmt: skip
        if self.is_output(layer) and self.lesson.output.activation != "softmax":
            dl_dy = self.ref(
                self.id(layer, j, "dl_dy"), f"∂l/∂{self.a(layer, j)}", "dy", None, False
            )
            others.append(dl_dy)  # ∂l/∂y, for the mistake of going on to ∂l/∂z
        context = (*context, *others)
        self.add(
            "output" if self.is_output(layer) else "backward", "gain", f"gain.{activation}",
            self.id(layer, j, "gain"), self.gain_symbol(layer, j),
            GAIN_FORMULAS[activation].format(a=a_sym, z=z_sym), f"{activation}_gain", operands,
            float(lt.gain[j - 1]),
            t("asks.gain", gain=self.gain_symbol(layer, j), where=self.where(layer, j),
              activation=activation),
            context=context, layer=layer, neuron=j, note=t("note.gain"),
        )  # fmt: skip

    def op_amp(self, lt: engine.LayerTrace, layer: int, j: int, incoming: Operand, note: str):
        """∂l/∂z = σ'(z)·(what comes in): the op-amp's output, at the output layer or hidden."""
        z_sym = self.z(layer, j)
        gain = self.ref(self.id(layer, j, "gain"), self.gain_symbol(layer, j), "gain")
        a = self.ref(self.id(layer, j, "a"), self.a(layer, j), "a", in_formula=False)
        others = [  # another neuron's gain (one worked out already: naming a later one would
            # give it away), for the mistake of taking it: as it is shown
            Operand(self.gain_symbol(layer, r), float(lt.gain[r - 1]), "gain_other", r,
                    places=self.lesson.decimals, in_formula=False)
            for r in range(1, j) if lt.gain is not None
        ]  # fmt: skip
        others += [  # another neuron's ∂l/∂z, worked out already
            self.ref(self.id(layer, r, "dl_dz"), f"∂l/∂{self.z(layer, r)}", "dz_other", r, False)
            for r in range(1, j) if self.id(layer, r, "dl_dz") in self.by_id
        ]  # fmt: skip
        output = self.is_output(layer)
        self.add(
            "output" if output else "backward", "dl_dz",
            "dl_dz.output" if output else "dl_dz.hidden", self.id(layer, j, "dl_dz"),
            f"∂l/∂{z_sym}", f"{gain.symbol}·{incoming.symbol}", "amplify", [gain, incoming],
            float(lt.dl_dz[j - 1]),
            t("asks.dl_dz_output" if output else "asks.dl_dz_hidden", z=z_sym,
              where=self.where(layer, j)),
            context=(a, *others, *self.other_dl_dy(layer, j), *self.other_dl_da(layer, j)),
            layer=layer, neuron=j, note=note,
        )  # fmt: skip

    def other_dl_dy(self, layer: int, j: int) -> list[Operand]:
        """The other outputs' ∂l/∂y (those worked out already), for the mistake of taking one."""
        if not self.is_output(layer) or self.lesson.output.activation == "softmax":
            return []
        ids = [(r, self.id(layer, r, "dl_dy")) for r in range(1, j)]
        return [self.ref(i, f"∂l/∂{self.a(layer, r)}", "dy_other", r, False)
                for r, i in ids if i in self.by_id]  # fmt: skip

    def other_dl_da(self, layer: int, j: int) -> list[Operand]:
        """The other hidden neurons' ∂l/∂a (those worked out already), for taking one."""
        return [replace(o, role="da_other") for o in self.dl_da_of(layer, range(1, j))]

    # --- the hidden op-amps (case 2) ---

    def backward(self, s: engine.SampleTrace) -> None:
        for layer in range(len(self.lesson.layers) - 1, 0, -1):
            for j in range(1, self.lesson.layers[layer - 1].width + 1):
                self.gain(s.layers[layer - 1], layer, j)
                self.weighted_sum(s.layers[layer - 1], layer, j)
                total = self.ref(self.id(layer, j, "sum"), f"∂l/∂{self.a(layer, j)}", "input")
                self.op_amp(
                    s.layers[layer - 1],
                    layer,
                    j,
                    total,
                    t("note.case2", z=self.z(layer, j), gain=self.gain_symbol(layer, j)),
                )

    def weighted_sum(self, lt: engine.LayerTrace, layer: int, j: int) -> None:
        """∂l/∂a = Σₖ wₖⱼ·∂l/∂zₖ: the op-amp's input, from the neurons this one feeds."""
        following = self.lesson.layers[layer]  # its weights carry ∂l/∂z back
        width, fan_in = following.width, len(self.lesson.layers[layer - 1].weights[0])
        operands, context, terms = [], [], []
        for k in range(1, width + 1):
            d = self.ref(self.id(layer + 1, k, "dl_dz"), f"∂l/∂{self.z(layer + 1, k)}", "d", k)
            operands += [self.weight(layer + 1, k, j, "w", k), d]
            terms.append((k, f"{self.w(layer + 1, k, j)}·{d.symbol}"))
        if fan_in == width:  # the weights into this neuron, paired with the ∂l/∂z coming back
            context += [self.weight(layer, j, k, "w_into", k, False) for k in range(1, width + 1)]
        if j <= width <= self.lesson.layers[layer - 1].width:  # row and column swapped
            context += [self.weight(layer + 1, j, k, "w_t", k, False) for k in range(1, width + 1)]
        context.append(self.ref(self.id(layer, j, "gain"), self.gain_symbol(layer, j), "gain",
                                in_formula=False))  # fmt: skip
        context += self.dl_dy_of(layer + 1, range(1, width + 1))
        context += self.dl_da_of(layer + 1, range(1, width + 1))
        context += [  # the weights out of another neuron of this layer
            self.weight(layer + 1, k, r, "w_out_other", (r, k), False)
            for r in range(1, self.lesson.layers[layer - 1].width + 1) if r != j
            for k in range(1, width + 1)
        ]  # fmt: skip
        self.add(
            "backward", "sum", "sum", self.id(layer, j, "sum"), f"∂l/∂{self.a(layer, j)}",
            " + ".join(text for _, text in terms), "dot", operands,
            float(lt.weighted_sum[j - 1]),
            t("asks.sum", a=self.a(layer, j), where=self.where(layer, j)),
            context=tuple(context), layer=layer, neuron=j, terms=tuple(terms),
            edges=tuple((layer + 1, k, j) for k in range(1, width + 1)), note=t("note.sum"),
        )  # fmt: skip

    def dl_da_of(self, layer: int, units, keyed: bool = True) -> list[Operand]:
        """∂l/∂a of hidden units (the op-amps' inputs, worked out already), for the mistake of
        using it where their ∂l/∂z (after the gain) belongs."""
        if self.is_output(layer):
            return []
        ids = [(k, self.id(layer, k, "sum")) for k in units]
        return [self.ref(i, f"∂l/∂{self.a(layer, k)}", "da", k if keyed else None, False)
                for k, i in ids if i in self.by_id]  # fmt: skip

    def dl_dy_of(self, layer: int, units) -> list[Operand]:
        """∂l/∂y of output units, for the mistake of using it where ∂l/∂z belongs."""
        if not self.is_output(layer) or self.lesson.output.activation == "softmax":
            return []
        return [self.ref(self.id(layer, k, "dl_dy"), f"∂l/∂{self.a(layer, k)}", "dy",
                         k if len(units) > 1 else None, in_formula=False)
                for k in units]  # fmt: skip

    # --- the gradients ---

    def gradients(self, s: engine.SampleTrace) -> None:
        for layer, lt in enumerate(s.layers, 1):
            for j in range(1, lt.z.size + 1):
                for k in range(1, lt.inputs.size + 1):
                    self.weight_gradient(lt, layer, j, k)
                self.bias_gradient(lt, layer, j)

    def weight_gradient(self, lt: engine.LayerTrace, layer: int, j: int, k: int) -> None:
        z_sym, w_sym = self.z(layer, j), self.w(layer, j, k)
        a_k = self.unit_output(layer - 1, k, "a")
        d = self.ref(self.id(layer, j, "dl_dz"), f"∂l/∂{z_sym}", "d")
        context = [self.weight(layer, j, k, "w", in_formula=False),
                   self.unit_output(layer, j, "a_own", in_formula=False),
                   *self.dl_dy_of(layer, [j]), *self.dl_da_of(layer, [j], keyed=False)]  # fmt: skip
        context += [
            self.ref(self.id(layer, r, "dl_dz"), f"∂l/∂{self.z(layer, r)}", "d_other", r,
                     in_formula=False)
            for r in range(1, lt.z.size + 1) if r != j
        ]  # fmt: skip
        context += [self.unit_output(layer - 1, r, "a_other", r, in_formula=False)
                    for r in range(1, lt.inputs.size + 1) if r != k]  # fmt: skip
        context.append(
            self.ref(self.id(layer, j, "z"), self.z(layer, j), "z_own", in_formula=False)
        )
        if layer > 1:
            context.append(self.ref(self.id(layer - 1, k, "z"), self.z(layer - 1, k), "z_in",
                                    in_formula=False))  # fmt: skip
        self.add(
            "gradient", "dl_dw", "dl_dw", f"s{self.n}.gradient.L{layer}.n{j}.w{k}",
            f"∂l/∂{w_sym}", f"{a_k.symbol}·∂l/∂{z_sym}", "input_times_delta", [a_k, d],
            float(lt.dl_dw[j - 1, k - 1]), t("asks.dl_dw", w=w_sym, a=a_k.symbol, z=z_sym),
            context=tuple(context), layer=layer, neuron=j, source=k, edges=((layer, j, k),),
            note=t("note.dl_dw", w=w_sym, z=z_sym, a=a_k.symbol),
        )  # fmt: skip

    def bias_gradient(self, lt: engine.LayerTrace, layer: int, j: int) -> None:
        z_sym, b_sym = self.z(layer, j), self.b(layer, j)
        d = self.ref(self.id(layer, j, "dl_dz"), f"∂l/∂{z_sym}", "d")
        local = Operand(f"∂{z_sym}/∂{b_sym}", 1.0, "local", hidden=True)  # the learner knows it
        bias = Operand(b_sym, self.lesson.layers[layer - 1].biases[j - 1], "b", in_formula=False)
        own = self.unit_output(layer, j, "a_own", in_formula=False)
        self.add(
            "gradient", "dl_db", "dl_db", f"s{self.n}.gradient.L{layer}.n{j}.b", f"∂l/∂{b_sym}",
            f"{local.symbol}·∂l/∂{z_sym}", "scaled", [local, d], float(lt.dl_db[j - 1]),
            t("asks.dl_db", b=b_sym, z=z_sym),
            context=(bias, own, *self.dl_dy_of(layer, [j]), *self.dl_da_of(layer, [j], False)),
            layer=layer, neuron=j,
            note=t("note.dl_db", z=z_sym, b=b_sym),
        )  # fmt: skip

    # --- over the samples, and the update ---

    def parameters(self):
        """Each weight and bias: (layer, j, k or None, symbol, id suffix, its value)."""
        for layer, spec in enumerate(self.lesson.layers, 1):
            for j in range(1, spec.width + 1):
                for k in range(1, len(spec.weights[0]) + 1):
                    weight = spec.weights[j - 1][k - 1]
                    yield layer, j, k, self.w(layer, j, k), f"L{layer}.n{j}.w{k}", weight
                yield layer, j, None, self.b(layer, j), f"L{layer}.n{j}.b", spec.biases[j - 1]

    def totals(self) -> None:
        for layer, j, k, sym, suffix, _ in self.parameters():
            operands, terms = [], []
            for n in range(1, len(self.lesson.samples) + 1):
                symbol = f"∂l{sup(n)}/∂{sym}"
                operands.append(self.ref(f"s{n}.gradient.{suffix}", symbol, "g", n))
                terms.append((n, symbol))
            total = (self.trace.dl_dw[layer - 1][j - 1, k - 1] if k
                     else self.trace.dl_db[layer - 1][j - 1])  # fmt: skip
            self.add(
                "total", "total", "total", f"total.{suffix}", f"∂L/∂{sym}",
                " + ".join(o.symbol for o in operands), "sum", operands, float(total),
                t("asks.total", sym=sym, n=len(operands)), layer=layer, neuron=j, source=k,
                terms=tuple(terms), given=("g",),
            )  # fmt: skip

    def updates(self) -> None:
        rate = self.lesson.learning_rate
        for layer, j, k, sym, suffix, old in self.parameters():
            grad_id = f"total.{suffix}" if self.many_samples else f"s1.gradient.{suffix}"
            grad_sym = f"∂L/∂{sym}" if self.many_samples else f"∂l/∂{sym}"
            new = (self.trace.updated_weights[layer - 1][j - 1, k - 1] if k
                   else self.trace.updated_biases[layer - 1][j - 1])  # fmt: skip
            operands = [Operand(sym, old, "w"), Operand("η", rate, "rate"),
                        self.ref(grad_id, grad_sym, "g")]  # fmt: skip
            context = []
            if k:  # ∂l/∂z (= ∂l/∂b, summed over the samples) where ∂l/∂w belongs
                delta = (
                    f"total.L{layer}.n{j}.b"
                    if self.many_samples
                    else f"s1.gradient.L{layer}.n{j}.b"
                )
                context.append(self.ref(delta, f"∂L/∂z{sub(self.unit(layer, j))}", "delta",
                                        in_formula=False))  # fmt: skip
            if self.many_samples:  # one sample's gradient, or their mean
                context += [self.ref(f"s{n}.gradient.{suffix}", f"∂l{sup(n)}/∂{sym}", "g_sample", n,
                                     in_formula=False)
                            for n in range(1, len(self.lesson.samples) + 1)]  # fmt: skip
            step = self.add(
                "update", "update", "update", f"update.{suffix}", t("symbol.new", sym=sym),
                f"{sym} − η·{grad_sym}", "descent", operands, float(new),
                t("asks.update", sym=sym), layer=layer, neuron=j, source=k,
                context=tuple(context), edges=((layer, j, k),) if k else (), given=("g",),
            )  # fmt: skip
            kept = {m.name for m in step.mistakes}
            if step.asked and new != old and not {"unchanged", "gradient_ascent"} <= kept:
                # A change too small to tell from the unchanged weight (or from ascent) at any
                # places the tutor asks: then "unchanged" would pass, so the step is shown.
                self.steps[-1] = self.by_id[step.id] = replace(step, asked=False)


# --- the second hint: the numbers worked part of the way, from the values on screen ---


def worked(step: Step) -> str:
    v = step.values("screen")

    def part(text: str, compute) -> str:
        """`text = x`, with x to as many places as keep it from passing for the answer itself
        (e^−0.48 = 0.6188, not 0.62 = σ(0.48)); left unworked if no number of places does, or
        if x cannot be worked out (e^710 overflows)."""
        try:
            x = float(compute())
        except ArithmeticError:
            return text
        if not math.isfinite(x):
            return text
        answers = [a for a in (step.value, step.from_shown()) if math.isfinite(a)]
        for places in range(step.places, step.places + 4):
            shown = shown_at(x, places)
            if not any(agrees(read_shown(shown), a, step.places) for a in answers):
                return f"{text} = {shown}"
        return text

    if step.rule in ("affine", "dot"):
        inputs = v.a if step.rule == "affine" else v.d
        parts = [part(_pair(step, k), lambda k=k: v.w[k] * inputs[k]) for k in v.w]
        bias = step.rule == "affine" and v.b != 0
        if len(parts) + bias > 1:
            tail = t("worked.affine", b=bias_text(step)) if step.rule == "affine" else None
            return ", ".join(parts) + (tail or t("worked.dot"))
    elif step.rule == "sigmoid":
        z = step.operands[0].text
        return t("worked.sigmoid", e=part(f"e^−{z}", lambda: math.exp(-v.z)))
    elif step.rule == "sigmoid_gain":
        a = step.operands[0].text
        return t("worked.sigmoid_gain", a=a, rest=part(f"1 − {a}", lambda: 1 - v.a))
    elif step.rule == "squared_error" and len(v.y) > 1:
        parts = [
            part(
                f"({step_text(step, 'y', j)} − {step_text(step, 't', j)})²",
                lambda j=j: (v.y[j] - v.t[j]) ** 2,
            )
            for j in v.y
        ]
        return ", ".join(parts) + t("worked.half_squares")
    return t("worked.default", numbers=step.numbers)


def _pair(step: Step, k) -> str:
    """Term k of a sum of products with its numbers: "2·0.98"."""
    w = step_text(step, "w", k)
    other = step_text(step, "a" if step.rule == "affine" else "d", k)
    return f"{w}·{other}"


def step_text(step: Step, role: str, k=None) -> str:
    for o in step.operands:
        if o.role == role and o.k == k:
            return o.text
    raise KeyError(role)


def bias_text(step: Step) -> str:
    return step_text(step, "b").strip("()")


def build(lesson: Lesson, trace: engine.Trace | None = None) -> list[Step]:
    return NetworkSteps(lesson, trace or engine.run(lesson)).build()
