"""The network, drawn as text: neurons as blocks, weights on the edges, the current neuron and the
edges its step uses highlighted. In the backward phases the same network turns into the seed's
reversed network: arrows point back towards the input and every neuron becomes an op-amp (◁)
labelled with its gain σ'(z) and its output δ = ∂l/∂z.

Pure text and Textual markup (theme variables such as $accent, so light and dark themes both
work); no Textual import, no math: every number comes from a step.
"""

from __future__ import annotations

from rich.cells import cell_len

from bptui.i18n import t
from bptui.lesson import GraphLesson
from bptui.notation import escape_markup, given, name_with_subscript, sub

NODE = 12  # a neuron's width
TARGET = 10  # the column of targets (forward) or ∂l/∂y (backward)
MIN_GAP, MAX_GAP = 7, 16  # room for the edges between two columns
BACKWARD_PHASES = ("output", "backward", "gradient")

EDGE, HOT, NODE_STYLE, CURRENT, MUTED = (
    "$text-muted",
    "bold $accent",
    "on $panel",
    "bold reverse $accent",
    "dim",
)


class _Canvas:
    def __init__(self, width: int, height: int):
        self.cells = [[(" ", "") for _ in range(width)] for _ in range(height)]

    def put(self, x: int, y: int, text: str, style: str = "") -> None:
        """Write text from column x; a wide (CJK) character takes two cells."""
        row = self.cells[y]
        for char in text:
            width = cell_len(char)
            if x >= 0 and x + width <= len(row):
                row[x] = (char, style)
                if width == 2:
                    row[x + 1] = ("", style)
            x += width

    def line(self, x0: int, y0: int, x1: int, y1: int, style: str) -> None:
        steps = max(abs(x1 - x0), abs(y1 - y0), 1)
        points = [
            (round(x0 + (x1 - x0) * i / steps), round(y0 + (y1 - y0) * i / steps))
            for i in range(steps + 1)
        ]
        for (xa, ya), (xb, yb) in zip(points, points[1:], strict=False):
            dy = yb - ya
            char = "─" if dy == 0 else "│" if xb == xa else "╲" if dy > 0 else "╱"
            self.put(xb, yb, char, style)
        self.put(points[0][0], points[0][1], "─" if y0 == y1 else "·", style)

    def markup(self) -> str:
        lines = []
        for row in self.cells:
            while row and row[-1][0] == " " and not row[-1][1]:
                row = row[:-1]
            out, run, style = [], [], None
            for char, cell_style in [*row, ("", None)]:
                if cell_style != style and run:
                    text = escape_markup("".join(run))
                    out.append(f"[{style}]{text}[/]" if style else text)
                    run = []
                style = cell_style
                run.append(char)
            lines.append("".join(out))
        return "\n".join(lines)


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - cell_len(text), 0)


def draw(session, step, width: int = 78) -> str:
    """The diagram for `step` in about `width` columns, with the values the learner knows so far."""
    if isinstance(session.lesson, GraphLesson):
        return draw_graph(session, step, width)
    return draw_network(session, step, width)


GRAPH_NODE = 15


def draw_graph(session, step, width: int = 78) -> str:
    """A chain-rule graph: inputs on the left, the output on the right, one column per depth."""
    lesson = session.lesson
    by_id = {s.id: s for s in session.all_steps}
    inputs = [n for n, _ in lesson.inputs]
    parents = {node.name: node.parents for node in lesson.nodes}
    depth: dict[str, int] = dict.fromkeys(inputs, 0)
    for node in lesson.nodes:
        depth[node.name] = 1 + max(depth[p] for p in node.parents) if node.parents else 0
    columns: list[list[str]] = [[] for _ in range(max(depth.values()) + 1)]
    for name in [*inputs, *(n.name for n in lesson.nodes)]:
        columns[depth[name]].append(name)

    def known(step_id: str) -> str | None:
        found = by_id.get(step_id)
        return found.shown if found and session.known(found) else None

    def value(name: str) -> str:
        if name in inputs:
            return given(dict(lesson.inputs)[name]).strip("()")
        return known(f"values.{name}") or "?"

    backward = step.phase == "chain"
    height = max(len(c) for c in columns) * 3 - 1
    tops = {}
    for column in columns:
        offset = 1 + (height - (len(column) * 3 - 1)) // 2
        for i, name in enumerate(column):
            tops[name] = offset + 3 * i
    gap = min(max((width - GRAPH_NODE * len(columns)) // max(len(columns) - 1, 1), 6), 18)
    starts = [i * (GRAPH_NODE + gap) for i in range(len(columns))]
    canvas = _Canvas(starts[-1] + GRAPH_NODE, height + 1)
    for x, column in zip(starts, columns, strict=True):
        canvas.put(x, 0, t("diagram.inputs") if column and column[0] in inputs else "", MUTED)

    used = set(step.edges)
    edges = [(p, child) for child, ps in parents.items() for p in ps]
    edges.sort(key=lambda e: e in used)
    for parent, child in edges:
        style = HOT if (parent, child) in used else EDGE
        x_from = starts[depth[parent]] + GRAPH_NODE
        y_from = tops[parent]
        x_to = starts[depth[child]] - 1
        y_to = tops[child] + min(parents[child].index(parent), 1)
        label = "" if step.phase == "values" else (known(f"local.{child}.{parent}") or "?")
        label_x = x_to - len(label)
        canvas.line(x_from + 1, y_from, label_x - 2, y_to, style)
        if label:
            canvas.put(label_x - 1, y_to, " " + label, HOT if style == HOT else "")
        canvas.put(
            x_from if backward else x_to,
            y_from if backward else y_to,
            "◂" if backward else "▸",
            style,
        )

    out = lesson.output
    for name, top in tops.items():
        rows = [f"{name} = {value(name)}"]
        if backward:
            grad = "1" if name == out else known(f"chain.{name}") or "?"
            rows.append(f"∂{out}/∂{name} = {grad}")
        elif name == out:
            rows.append(t("diagram.the_output"))
        current = name == step.node
        for i, text in enumerate(rows):
            canvas.put(
                starts[depth[name]],
                top + i,
                _pad(text, GRAPH_NODE),
                CURRENT if current else NODE_STYLE,
            )
    return canvas.markup().rstrip("\n") + f"\n[{MUTED}]{t('diagram.' + step.phase)}[/]"


def draw_network(session, step, width: int = 78) -> str:
    lesson = session.lesson
    by_id = {s.id: s for s in session.all_steps}
    sample = step.sample or len(lesson.samples)
    backward = step.phase in BACKWARD_PHASES

    def value(step_id: str) -> str:
        known = by_id.get(step_id)
        if known is None or not session.known(known):
            return "?"
        return known.shown

    widths = [layer.width for layer in lesson.layers]
    fan_in = [len(layer.weights[0]) for layer in lesson.layers]
    height = max(2, *fan_in, *widths)  # a neuron has one row for each incoming edge
    counts = [len(lesson.inputs), *widths]
    column_height = [n * (height + 1) - 1 for n in counts]
    total_height = max(column_height)
    tops = [
        [1 + (total_height - h) // 2 + i * (height + 1) for i in range(n)]
        for n, h in zip(counts, column_height, strict=True)
    ]

    x_values = lesson.samples[sample - 1].x
    inputs = [
        f"{name_with_subscript(n)} {given(v).strip('()')}"
        for n, v in zip(lesson.inputs, x_values, strict=True)
    ]
    input_width = max(6, *(cell_len(text) for text in inputs))
    fixed = input_width + NODE * len(widths) + TARGET + 2
    gap = min(max((width - fixed) // len(widths), MIN_GAP), MAX_GAP)
    starts = [0]
    for i in range(len(widths)):
        starts.append(starts[-1] + (input_width if i == 0 else NODE) + gap)
    target_x = starts[-1] + NODE + 2
    canvas = _Canvas(target_x + TARGET, total_height + 1)

    last = len(widths)
    titles = [
        t("diagram.inputs"),
        *[
            t("diagram.output") if i == last else t("diagram.layer", n=i)
            for i in range(1, last + 1)
        ],
    ]
    for x, title in zip(starts, titles, strict=True):
        canvas.put(x, 0, title, MUTED)
    canvas.put(target_x, 0, "∂l/∂y" if backward else t("diagram.target"), MUTED)

    # Edges first, the step's own edges last so they sit on top.
    used = set(step.edges)
    edges = [
        (layer, j, k)
        for layer in range(1, last + 1)
        for j in range(1, widths[layer - 1] + 1)
        for k in range(1, fan_in[layer - 1] + 1)
    ]
    edges.sort(key=lambda e: e in used)
    for layer, j, k in edges:
        style = HOT if (layer, j, k) in used else EDGE
        label = given(lesson.layers[layer - 1].weights[j - 1][k - 1]).strip("()")
        x_from = starts[layer - 1] + (input_width if layer == 1 else NODE)
        y_from = tops[layer - 1][k - 1] + (0 if layer == 1 else 1)
        x_to, y_to = starts[layer] - 1, tops[layer][j - 1] + (k - 1)
        label_x = x_to - len(label)
        canvas.line(x_from + 1, y_from, label_x - 2, y_to, style)
        canvas.put(label_x - 1, y_to, " " + label, "bold $accent" if style == HOT else "")
        if backward:
            canvas.put(x_from, y_from, "◂", style)
        else:
            canvas.put(x_to, y_to, "▸", style)

    for text, top in zip(inputs, tops[0], strict=True):
        canvas.put(0, top, _pad(text, input_width), NODE_STYLE)

    for layer in range(1, last + 1):
        for j in range(1, widths[layer - 1] + 1):
            base = f"s{sample}.forward.L{layer}.n{j}"
            unit = sum(widths[: layer - 1]) + j
            if backward:
                phase = "output" if layer == last else "backward"
                rows = [
                    f"◁ σ' {value(f's{sample}.{phase}.L{layer}.n{j}.gain')}",
                    f"δ{sub(unit)} {value(f's{sample}.{phase}.L{layer}.n{j}.dl_dz')}",
                ]
                if lesson.layers[layer - 1].activation == "softmax":
                    rows[0] = "◁ softmax"
            else:
                a_name = f"y{sub(j)}" if layer == last else f"a{sub(unit)}"
                rows = [f"z{sub(unit)} {value(base + '.z')}", f"{a_name} {value(base + '.a')}"]
            rows += [""] * (height - 2)
            current = step.layer == layer and step.neuron == j
            for i, text in enumerate(rows):
                canvas.put(
                    starts[layer],
                    tops[layer][j - 1] + i,
                    _pad(text, NODE),
                    CURRENT if current else NODE_STYLE,
                )

    targets = lesson.samples[sample - 1].target
    for j, target in enumerate(targets, 1):
        y = tops[last][j - 1]
        if backward:
            d = value(f"s{sample}.output.L{last}.n{j}.dl_dy")
            text = (
                f"◂ {d}"
                if lesson.output.activation != "softmax"
                else f"◂ ŷ{sub(j)} {given(target)}"
            )
        else:
            text = f"ŷ{sub(j)} {given(target)}"
        canvas.put(target_x - 1, y, " " + text, MUTED if not backward else "")
    caption = t("diagram.backward") if backward else t("diagram.forward")
    return canvas.markup().rstrip("\n") + f"\n[{MUTED}]{caption}[/]"
