"""Chain-rule graph lessons (seed section 1): every node's value, every edge's local derivative,
then the output's derivative by every node and input, from the output back.

Where a name reaches the output along several paths, its derivative is the sum over the paths of
the products of the local derivatives along each (case 2); one path is case 1. A node off every
path to the output (a copy of the computation with one input nudged, say) gets its value asked
like any other; its edges' local derivatives and its ∂out/∂node = 0 are shown, not asked, and it
adds no term to the chain rule of the names it uses.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from bptui import expr
from bptui.glossary import rule_hint
from bptui.i18n import t
from bptui.lesson import SCAFFOLDS, GraphLesson
from bptui.model import Operand, Step
from bptui.notation import bracketed, shown_at
from bptui.precision import settle

MAX_PATHS_SHOWN = 8


@dataclass(frozen=True)
class GraphTrace:
    values: dict[str, float]  # every input and node
    local: dict[tuple[str, str], float]  # (node, parent) → ∂node/∂parent
    local_trees: dict[tuple[str, str], tuple]
    gradients: dict[str, float]  # ∂output/∂name, every input and node
    children: dict[str, tuple[str, ...]]  # the nodes that use each name, in node order
    reaches: frozenset[str]  # the names with a path to the output (the output too)


def names(lesson: GraphLesson) -> list[str]:
    return [n for n, _ in lesson.inputs] + [node.name for node in lesson.nodes]


def run(lesson: GraphLesson) -> GraphTrace:
    values = dict(lesson.inputs)
    local, trees = {}, {}
    for node in lesson.nodes:
        values[node.name] = expr.evaluate(node.tree, values)
    for node in lesson.nodes:
        for parent in node.parents:
            tree = expr.derivative(node.tree, parent)
            trees[(node.name, parent)] = tree
            local[(node.name, parent)] = expr.evaluate(tree, values)
    children = {
        name: tuple(n.name for n in lesson.nodes if name in n.parents) for name in names(lesson)
    }
    gradients = dict.fromkeys(names(lesson), 0.0)
    gradients[lesson.output] = 1.0
    for name in reversed(names(lesson)):
        if name != lesson.output:
            gradients[name] = math.fsum(gradients[c] * local[(c, name)] for c in children[name])
    reaches = {lesson.output}
    for name in reversed(names(lesson)):
        if any(c in reaches for c in children[name]):
            reaches.add(name)
    return GraphTrace(values, local, trees, gradients, children, frozenset(reaches))


def on_path(trace: GraphTrace, name: str) -> tuple[str, ...]:
    """The nodes using `name` that lead on to the output: the only terms of its chain rule."""
    return tuple(c for c in trace.children[name] if c in trace.reaches)


def paths(trace: GraphTrace, start: str, output: str) -> list[list[str]]:
    """Every path from `start` to the output, each a list of names."""
    if start == output:
        return [[output]]
    return [
        [start, *rest] for child in on_path(trace, start) for rest in paths(trace, child, output)
    ]


class GraphSteps:
    def __init__(self, lesson: GraphLesson, trace: GraphTrace):
        self.lesson = lesson
        self.trace = trace
        self.inputs = {n for n, _ in lesson.inputs}
        self.steps: list[Step] = []
        self.by_id: dict[str, Step] = {}

    def build(self) -> list[Step]:
        for node in self.lesson.nodes:
            self.value(node)
        # What is off the path to the output comes first in its phase (a stable sort): shown and
        # never asked, it is known from the phase's first step on, not a "?" left in the picture.
        reaches = self.trace.reaches
        for node in sorted(self.lesson.nodes, key=lambda n: n.name in reaches):
            for parent in node.parents:
                self.local(node, parent)
        for name in sorted(reversed(names(self.lesson)), key=lambda n: n in reaches):
            if name != self.lesson.output:
                self.chain(name)
        return self.steps

    def ref(self, step_id: str, symbol: str, role: str, k=None, in_formula=True) -> Operand:
        step = self.by_id[step_id]
        return Operand(symbol, step.value, role, k, step_id, step.places, in_formula)

    def named(self, name: str, role: str = "name", in_formula: bool = True) -> Operand:
        """An input (lesson data) or a node's value (an earlier step)."""
        key = name if role == "name" else None
        if role == "name" and not in_formula and name not in self.inputs:
            step = self.by_id[f"values.{name}"]  # in scope for a mistake: as it is shown
            return Operand(name, step.value, role, key, None, step.places, in_formula)
        if name in self.inputs:
            return Operand(name, self.trace.values[name], role, key, in_formula=in_formula)
        return self.ref(f"values.{name}", name, role, key, in_formula)

    def local_of(self, child: str, parent: str, role: str, k=None, in_formula=True) -> Operand:
        return self.ref(f"local.{child}.{parent}", f"∂{child}/∂{parent}", role, k, in_formula)

    def add(self, phase, kind, step_id, symbol, tree, value, asks, operands, **extra) -> Step:
        draft = Step(
            id=step_id, phase=phase, kind=kind, form=kind, asks=asks, symbol=symbol,
            formula=expr.to_text(tree), value=float(value), rule=extra.pop("rule", "expression"),
            expression=tree, operands=tuple(operands), places=self.lesson.decimals,
            asked=phase in self.lesson.ask and extra.pop("ask", True),
            scaffold=harder(self.lesson.scaffold, extra.pop("floor", "numbers")), **extra,
        )  # fmt: skip
        step = settle(draft, self.lesson.decimals)
        if not step.hints:
            step = replace(step, hints=(rule_hint(kind), t("worked.default", numbers=step.numbers)))
        self.steps.append(step)
        self.by_id[step.id] = step
        return step

    def scope(self, node, used: tuple[str, ...]) -> tuple[Operand, ...]:
        """The other names defined before a node, for the mistake of using one in place of a
        name in its formula."""
        before = names(self.lesson)[: names(self.lesson).index(node.name)]
        return tuple(self.named(n, in_formula=False) for n in before if n not in used)

    def value(self, node) -> None:
        used = expr.names_in(node.tree)
        self.add("values", "value", f"values.{node.name}", node.name, node.tree,
                 self.trace.values[node.name], t("asks.value", name=node.name),
                 [self.named(n) for n in used], context=self.scope(node, used), node=node.name,
                 edges=tuple((p, node.name) for p in node.parents))  # fmt: skip

    def local(self, node, parent: str) -> None:
        tree = self.trace.local_trees[(node.name, parent)]
        operands = [self.named(n) for n in expr.names_in(tree)]
        others = [  # the derivative on the node's other edges, as it will be shown
            Operand(f"∂{node.name}/∂{p}", self.trace.local[(node.name, p)], "local_other", p,
                    places=self.lesson.decimals, in_formula=False)
            for p in node.parents if p != parent
        ]  # fmt: skip
        used = expr.names_in(tree)
        context = (self.named(node.name, "node_value", in_formula=False), *others,
                   *self.scope(node, used))  # fmt: skip
        self.add("local", "local", f"local.{node.name}.{parent}", f"∂{node.name}/∂{parent}", tree,
                 self.trace.local[(node.name, parent)],
                 t("asks.local", node=node.name, parent=parent), operands, context=context,
                 floor="blank",  # its formula is its answer: it is the learner's to find
                 ask=node.name in self.trace.reaches,  # off the path: shown, not asked
                 node=node.name, edges=((parent, node.name),),
                 note=t("note.local", node=node.name, expr=node.expr, parent=parent))  # fmt: skip

    def chain(self, name: str) -> None:
        """∂out/∂name: over the nodes it feeds, ∂out/∂child · ∂child/∂name (the paths, summed)."""
        out = self.lesson.output
        operands, tree = [], ("num", 0.0)
        feeds = on_path(self.trace, name)
        for child in feeds:
            local = self.local_of(child, name, "local", child)
            if child == out:
                term = ("name", local.symbol)
                operands.append(local)
            else:
                upstream = self.ref(f"chain.{child}", f"∂{out}/∂{child}", "up", child)
                term = ("bin", "*", ("name", upstream.symbol), ("name", local.symbol))
                operands += [upstream, local]
            tree = term if tree == ("num", 0.0) else ("bin", "+", tree, term)
        found = paths(self.trace, name, out)
        context = [self.local_of(b, a, "factor", (p, i), False)
                   for p, path in enumerate(found, 1)
                   for i, (a, b) in enumerate(zip(path, path[1:], strict=False), 1)]  # fmt: skip
        context.append(self.named(name, "node_value", in_formula=False))
        shown_paths = found[:MAX_PATHS_SHOWN]
        case = t("case2") if len(found) > 1 else t("case1")
        if found:
            note = t(
                "note.paths",
                out=out,
                case=case,
                paths="; ".join(" → ".join(p) for p in shown_paths),
            )
        else:
            note = t("no_path", out=out)
        step = self.add("chain", "chain", f"chain.{name}", f"∂{out}/∂{name}", tree,
                        self.trace.gradients[name], t("asks.chain", out=out, name=name), operands,
                        rule="chain", context=tuple(context), node=name, note=note,
                        ask=feeds not in ((out,), ()),  # else the local step again, or 0
                        terms=tuple((p, " → ".join(path)) for p, path in enumerate(found, 1)),
                        edges=tuple((name, c) for c in feeds))  # fmt: skip
        self.finish_chain(step, shown_paths)

    def finish_chain(self, step: Step, shown_paths: list[list[str]]) -> None:
        """The products along each path, with their numbers: hint 2 and what is shown once done."""
        at = step.places
        lines, products = [], []
        for path in shown_paths:
            factors = [self.by_id[f"local.{b}.{a}"] for a, b in zip(path, path[1:], strict=False)]
            product = math.prod(f.value for f in factors)
            products.append(shown_at(product, at))
            numbers = "·".join(bracketed(f.shown) for f in factors)
            lines.append(f"{' → '.join(path)}: {numbers} = {products[-1]}")
            last_numbers = numbers
        out = self.lesson.output
        if not shown_paths:
            worked = t("no_path", out=out)
        elif len(shown_paths) == 1:  # one path: its product is the answer, so it is not given
            worked = t("worked.one_path", factors=last_numbers)
        else:
            worked = t("worked.paths", products=" + ".join(products))
        after = t("after.paths", paths="; ".join(lines)) if lines else ""
        paths_found = len(step.terms)  # case 1 is one path, case 2 several
        kind = "chain" if not paths_found else "chain.case1" if paths_found == 1 else "chain.case2"
        done = replace(step, hints=(rule_hint(kind), worked), after=after)
        self.steps[-1] = self.by_id[step.id] = done


def harder(*levels: str) -> str:
    """The scaffold level that gives the least of those given."""
    return max(levels, key=SCAFFOLDS.index)


def build_steps(lesson: GraphLesson, trace: GraphTrace | None = None) -> list[Step]:
    return GraphSteps(lesson, trace or run(lesson)).build()
