"""Chain-rule graph lessons (seed section 1): every node's value, every edge's local derivative,
then the output's derivative by every node and input, from the output back.

Where a name reaches the output along several paths, its derivative is the sum over the paths of
the products of the local derivatives along each (case 2); one path is case 1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bptui import expr
from bptui.glossary import rule_hint
from bptui.i18n import t
from bptui.lesson import GraphLesson
from bptui.notation import given, shown
from bptui.steps import Operand, Step, fill_mistakes

MAX_PATHS_SHOWN = 8


@dataclass(frozen=True)
class GraphTrace:
    values: dict[str, float]  # every input and node
    local: dict[tuple[str, str], float]  # (node, parent) → ∂node/∂parent
    local_trees: dict[tuple[str, str], tuple]
    gradients: dict[str, float]  # ∂output/∂name, every input and node
    children: dict[str, tuple[str, ...]]  # the nodes that use each name, in node order


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
    return GraphTrace(values, local, trees, gradients, children)


def paths(trace: GraphTrace, start: str, output: str) -> list[list[str]]:
    """Every path from `start` to the output, each a list of names."""
    if start == output:
        return [[output]]
    return [
        [start, *rest] for child in trace.children[start] for rest in paths(trace, child, output)
    ]


def build_steps(lesson: GraphLesson, trace: GraphTrace | None = None) -> list[Step]:
    trace = trace or run(lesson)
    d = lesson.decimals
    inputs = {n for n, _ in lesson.inputs}
    out = lesson.output
    steps: list[Step] = []

    def text_of(name: str) -> str:
        value = trace.values[name]
        return given(value).strip("()") if name in inputs else shown(value, d)

    def operands_for(tree: tuple) -> list[Operand]:
        return [Operand(n, trace.values[n], n not in inputs) for n in expr.names_in(tree)]

    def add(phase, kind, step_id, symbol, tree, value, asks, numbers, operands, **extra):
        steps.append(
            Step(
                id=step_id, phase=phase, kind=kind, asks=asks, symbol=symbol,
                formula=expr.to_text(tree), numbers=numbers, value=float(value),
                rule="expression", expression=tree, operands=tuple(operands), decimals=d,
                asked=phase in lesson.ask,
                mistakes=fill_mistakes(extra.pop("mistakes", ()), value, d),
                **extra,
            )
        )  # fmt: skip

    for node in lesson.nodes:
        values = {n: text_of(n) for n in node.parents}
        numbers = expr.to_text(node.tree, values)
        add("values", "value", f"values.{node.name}", node.name, node.tree,
            trace.values[node.name], t("asks.value", name=node.name), numbers,
            operands_for(node.tree), node=node.name,
            edges=tuple((p, node.name) for p in node.parents),
            hints=(rule_hint("value"), t("worked.default", numbers=numbers)))  # fmt: skip

    for node in lesson.nodes:
        for parent in node.parents:
            tree = trace.local_trees[(node.name, parent)]
            numbers = expr.to_text(tree, {n: text_of(n) for n in expr.names_in(tree)})
            add("local", "local", f"local.{node.name}.{parent}", f"∂{node.name}/∂{parent}", tree,
                trace.local[(node.name, parent)],
                t("asks.local", node=node.name, parent=parent),
                numbers, operands_for(tree), node=node.name, edges=((parent, node.name),),
                note=t("note.local", node=node.name, expr=node.expr, parent=parent),
                hints=(rule_hint("local"), t("worked.default", numbers=numbers)))  # fmt: skip

    for name in reversed(names(lesson)):
        if name == out:
            continue
        children = trace.children[name]
        terms, operands, products = [], [], []
        for child in children:
            local = Operand(f"∂{child}/∂{name}", trace.local[(child, name)], True)
            if child == out:
                terms.append(("name", local.symbol))
                operands.append(local)
                products.append(local.value)
            else:
                upstream = Operand(f"∂{out}/∂{child}", trace.gradients[child], True)
                terms.append(("bin", "*", ("name", upstream.symbol), ("name", local.symbol)))
                operands += [upstream, local]
                products.append(upstream.value * local.value)
        tree = ("num", 0.0)
        for term in terms:
            tree = term if tree == ("num", 0.0) else ("bin", "+", tree, term)
        numbers = expr.to_text(tree, {o.symbol: shown(o.value, d) for o in operands})
        found = paths(trace, name, out)
        lines, path_products = [], []
        for path in found[:MAX_PATHS_SHOWN]:
            factors = [trace.local[(b, a)] for a, b in zip(path, path[1:], strict=False)]
            product = math.prod(factors)
            path_products.append(shown(product, d))
            lines.append(f"{' → '.join(path)}: " + "·".join(shown(f, d) for f in factors)
                         + f" = {shown(product, d)}")  # fmt: skip
        products_text = " + ".join(path_products)
        worked = t("worked.paths", products=products_text) if found else t("no_path", out=out)
        case = t("case2") if len(found) > 1 else t("case1")
        joined = "; ".join(lines)
        note = t("note.paths", out=out, case=case, paths=joined) if found else t("no_path", out=out)
        mistakes = (
            [("path_missing", trace.gradients[name] - p) for p in products]
            if len(products) > 1
            else []
        )
        add("chain", "chain", f"chain.{name}", f"∂{out}/∂{name}", tree, trace.gradients[name],
            t("asks.chain", out=out, name=name), numbers, operands,
            node=name, edges=tuple((name, c) for c in children), note=note, mistakes=mistakes,
            hints=(rule_hint("chain"), worked))  # fmt: skip
    return steps
