"""The network (or chain-rule graph), drawn as text, to be read at a glance.

Every neuron is one node: z over a. Beside it a *fan-in block* lists what goes into it, one row an
edge, each edge's weight times its source ("2·a₁"), then the bias ("+b₃ 0"); the rows come off a
bus that the layer before feeds, so no two edges cross and every weight sits on its own edge.
In the backward phases the same network turns into the seed's reversed network: each neuron
becomes an op-amp (◁, its gain written with the layer's own activation, σ' or tanh') whose block,
on its right, lists the weights *out of* it times the δ = ∂l/∂z coming back; arrows point back.
In the gradient phases the nodes show a over δ, the two factors of ∂l/∂w = a·δ. A chain-rule
graph is drawn the same way: a node over its formula, its block listing its inputs (or, once they
are asked, the local derivative on each edge), and from the output back, ∂out/∂node.

The current step's edges are highlighted and the rest dimmed. When the whole does not fit, a
focused view shows the current neuron with the layer it draws on (the tutor's F7 toggles).

Pure text and Textual markup (theme variables such as $accent, so light and dark themes both
work); no Textual import, no math: every number comes from a step.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.cells import cell_len

from bptui.i18n import CATALOG, t
from bptui.lesson import GraphLesson
from bptui.notation import derivative_name, escape_markup, given, name_with_subscript, sub, wrap

# The view each phase is drawn in (any other phase: forward).
VIEWS = {"output": "backward", "backward": "backward", "chain": "backward",
         "gradient": "gradient", "total": "gradient", "update": "gradient"}  # fmt: skip

EDGE, HOT, NODE_STYLE, CURRENT, MUTED = (
    "$text-muted",
    "bold $accent",
    "on $panel",
    "bold reverse $accent",
    "dim",
)
GAP = 4  # between two columns: a stub, the bus, a stub, a space

# (up, down, left, right) → the box-drawing character joining those sides.
JOINS = {
    (False, True, False, True): "┌", (False, True, True, False): "┐",
    (True, False, False, True): "└", (True, False, True, False): "┘",
    (True, True, False, False): "│", (True, True, True, False): "┤",
    (True, True, False, True): "├", (True, True, True, True): "┼",
    (False, True, True, True): "┬", (True, False, True, True): "┴",
    (False, False, True, True): "─", (False, False, True, False): "─",
    (False, False, False, True): "─", (False, False, False, False): " ",
}  # fmt: skip


def draw(session, step, width: int = 78, height: int = 14, full: bool = False) -> str:
    """The diagram for `step` in `width` columns and about `height` rows, with the values the
    learner knows so far; a focused view when the whole does not fit, unless `full`."""
    kind = GraphPicture if isinstance(session.lesson, GraphLesson) else NetworkPicture
    picture = kind(session, step)
    text, used_width, used_height = picture.render(picture.everything())
    caption = picture.caption()
    focus = picture.focus()
    if not full and (used_width > width or used_height > height) and focus:
        text = picture.render(*focus)[0]
        caption = t("diagram.focused_output" if step.kind == "loss" else "diagram.focused")
    return text + "".join(f"\n[{MUTED}]{line}[/]" for line in wrap(caption, width))


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

    def join(self, x: int, lefts: set, rights: set, style: str, hot=frozenset()) -> None:
        """A vertical line at column x joining rows that come in from the left and leave right."""
        rows = lefts | rights
        if not rows:
            return
        top, bottom = min(rows), max(rows)
        for y in range(top, bottom + 1):
            key = (y > top, y < bottom, y in lefts, y in rights)
            self.put(x, y, JOINS[key], HOT if y in hot else style)

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


@dataclass
class Node:
    key: object  # which unit of its column
    rows: list[str]  # as shown now ("?" for what is not known yet)
    final: list[str]  # as they will be: the widths never jump as values arrive
    block: list[tuple[str, object]] = field(default_factory=list)  # (label, edge or None)
    style: str = NODE_STYLE

    @property
    def size(self) -> int:
        return max(len(self.rows), len(self.block))

    def receive(self, top: int) -> int:
        """The row where the block enters the node: its middle, with room for the node's rows."""
        return top + min((self.size - 1) // 2, self.size - len(self.rows))


@dataclass
class Column:
    """One layer (or depth) of the picture and where its parts go on the canvas."""

    key: int
    title: str
    nodes: list[Node]
    bare: bool = False  # nodes only, without their blocks (the focused view's other layer)
    x: int = 0
    tops: list[int] = field(default_factory=list)
    in_rows: dict = field(default_factory=dict)  # rows that take a value from a bus: their edge
    out_rows: list[int] = field(default_factory=list)  # rows that hand a value on to a bus

    @property
    def node_w(self) -> int:
        return max(cell_len(r) for n in self.nodes for r in n.final) + 2

    @property
    def label_w(self) -> int:
        return max([0, *(cell_len(label) for n in self.nodes for label, _ in n.block)])

    @property
    def has_blocks(self) -> bool:
        return not self.bare and self.label_w > 0

    spacing: int = 1  # blank rows between two nodes

    @property
    def height(self) -> int:
        return sum(n.size for n in self.nodes) + (len(self.nodes) - 1) * self.spacing

    @property
    def width(self) -> int:
        return self.node_w + (self.label_w + 6 if self.has_blocks else 0)

    def place(self, x: int, top: int, backward: bool, out_index: int) -> None:
        """Put the column at x, its first node at row `top`, and note the rows its buses use."""
        self.x = x
        self.tops, self.in_rows, self.out_rows = [], {}, []
        y = top
        for node in self.nodes:
            self.tops.append(y)
            self.in_rows.update(
                {y + i: edge for i, (_, edge) in enumerate(node.block) if edge is not None}
            )
            index = min(out_index, len(node.rows) - 1)
            self.out_rows.append(node.receive(y) + index)
            y += node.size + self.spacing

    def spread(self, height: int, avoid: set[int]) -> None:
        """One-row nodes (the inputs) spread over the height, on rows where no edge leaves the
        bus, so an input never seems to feed the edge on its row."""
        n = len(self.nodes)
        ideal = [1 + round((height - 1) * (i + 0.5) / n) for i in range(n)]
        chosen: list[int] = []
        for i, want in enumerate(ideal):
            first = chosen[-1] + 1 if chosen else 1
            last = max(height - (n - 1 - i), first)  # a row left for each one still to place
            chosen.append(min(range(first, last + 1), key=lambda y: (y in avoid, abs(y - want))))
        self.tops, self.out_rows = chosen, list(chosen)

    @property
    def node_x(self) -> int:
        return self.x + (self.label_w + 6 if self.has_blocks and not self.backward else 0)

    backward = False


class Picture:
    """A lesson drawn at one step: columns of nodes with their blocks, joined by buses."""

    def __init__(self, session, step):
        self.session = session
        self.step = step
        self.lesson = session.lesson
        self.by_id = {s.id: s for s in session.all_steps}
        self.view = VIEWS.get(step.phase, "forward")
        self.used = set(step.edges)

    def value(self, step_id: str, final: bool = False) -> str:
        """A step's value as shown, "?" while unknown; `final`: as it will be (widths only)."""
        found = self.by_id.get(step_id)
        if found is None:
            return "?"
        return found.shown if final or self.session.known(found) else "?"

    # What each kind of picture defines.
    def everything(self) -> tuple: ...
    def focus(self) -> tuple | None: ...
    def caption(self) -> str: ...
    def column(self, key: int, only=None, bare: bool = False) -> Column: ...

    out_index = 1  # which node row hands its value on

    # --- layout and drawing ---

    def render(self, keys: list[int], only=None) -> tuple[str, int, int]:
        """(markup, width, height) of the given columns; `only`: just that node of the current
        column, and the others bare (the focused view)."""
        backward = self.view == "backward"
        columns = [self.column(k, only, bare=only is not None) for k in keys]
        for column in columns:
            column.backward = backward
        x = 0
        for column in columns:
            column.x = x
            x = column.x + column.width + GAP
        tallest = max(c.height for c in columns)
        for height in range(tallest, tallest + 3):  # a row or two more, if that avoids a clash
            if self.settle(columns, height, backward) == 0:
                break
        else:  # no height was clear of clashes: the fewest, at the smallest height
            height = tallest
            self.settle(columns, height, backward)
        if not backward and len(columns) > 1 and all(n.size == 1 for n in columns[0].nodes):
            columns[0].spread(height, set(columns[1].in_rows))
        width = x - GAP + self.margin(columns[-1])
        canvas = _Canvas(width + 2, height + 1)
        for before, after in zip(columns, columns[1:], strict=False):
            self.bus(canvas, before, after, backward)
        for column in columns:
            self.draw_column(canvas, column, backward)
        return canvas.markup().rstrip("\n"), width, height + 1

    def margin(self, last: Column) -> int:
        """Room after the last column (the targets, in a network's forward view)."""
        return 0

    def settle(self, columns: list[Column], height: int, backward: bool) -> int:
        """Place each column within its slack (its nodes spread out if that helps) so that a row
        handing a value to a bus is never a row taking one from it: else a source would seem to
        feed the edge on its row. The columns form a chain, so the best placement of them all
        is found column by column (dynamic programming). Returns how many such rows are left."""
        placements = []  # per column: (spacing, top, rows it takes from a bus, rows it hands on)
        for column in columns:
            found = []
            for spacing in (1, 2, 3):
                column.spacing = spacing
                slack = height - column.height
                if slack < 0 or (spacing > 1 and len(column.nodes) < 2):
                    break
                for top in range(1, slack + 2):
                    column.place(column.x, top, backward, self.out_index)
                    cost = spacing - 1 + abs(top - 1 - slack // 2) / 10  # compact, centred
                    found.append((spacing, top, frozenset(column.in_rows),
                                  frozenset(column.out_rows), cost))  # fmt: skip
            placements.append(found)

        def clash(left, right) -> int:  # a row of one column's bus use on the other's
            return len(left[2] & right[3]) if backward else len(left[3] & right[2])

        best = [(p[4], [p]) for p in placements[0]]
        for found in placements[1:]:
            best = [
                min(((cost + 100 * clash(path[-1], p) + p[4], [*path, p]) for cost, path in best),
                    key=lambda item: item[0])
                for p in found
            ]  # fmt: skip
        _, path = min(best, key=lambda item: item[0])
        for column, (spacing, top, *_) in zip(columns, path, strict=True):
            column.spacing = spacing
            column.place(column.x, top, backward, self.out_index)
        return sum(clash(a, b) for a, b in zip(path, path[1:], strict=False))

    def bus(self, canvas: _Canvas, before: Column, after: Column, backward: bool) -> None:
        """The bus between two columns: what the one hands on, to every row of the other that
        takes it (forward: into the blocks on the right; backward: into those on the left)."""
        bus_x = after.x - 2
        if backward:
            lefts, rights = set(before.in_rows), set(after.out_rows)
        else:
            lefts, rights = set(before.out_rows), set(after.in_rows)
        if not lefts or not rights:
            return  # nothing flows here (δ into the inputs; a graph's bare column)
        rows = {**before.in_rows, **after.in_rows}
        hot = {y for y, edge in rows.items() if edge in self.used}
        for y in lefts:  # a block's row runs into the bus unbroken; a node's row, after a space
            stub = "──" if backward else "─"
            canvas.put(bus_x - len(stub), y, stub, HOT if y in hot else EDGE)
        for y in rights:
            stub = "─" if backward else "──"
            canvas.put(bus_x + 1, y, stub, HOT if y in hot else EDGE)
        canvas.join(bus_x, lefts, rights, EDGE)

    def draw_column(self, canvas: _Canvas, column: Column, backward: bool) -> None:
        room = column.width + GAP - 1  # a title never runs into the next column's
        title = column.title if cell_len(column.title) <= room else column.title.split(" (")[0]
        canvas.put(column.x, 0, title, MUTED)
        node_x = column.x if backward or not column.has_blocks else column.x + column.label_w + 6
        label_x = column.x + column.node_w + 3 if backward else column.x
        merge_x = label_x - 1 if backward else column.x + column.label_w + 4
        for node, top in zip(column.nodes, column.tops, strict=True):
            receive = node.receive(top) if node.block or not column.has_blocks else top
            for i, text in enumerate(node.rows):
                canvas.put(node_x, receive + i, _pad(f" {text} ", column.node_w), node.style)
            if not column.has_blocks or not node.block:
                continue
            into, hot_rows = set(), set()
            last = self.ends_here(column) if backward else False
            for i, (label, edge) in enumerate(node.block):
                bright = edge in self.used or self.bright_row(node, edge)
                text = label.ljust(column.label_w) if backward else label.rjust(column.label_w)
                lead = "─ " if edge is not None or backward else "  "  # a bias is not on the bus
                tail = "" if last else " ─"
                canvas.put(label_x, top + i, f"{lead}{text}{tail}", HOT if bright else EDGE)
                into.add(top + i)
                if bright:
                    hot_rows.add(top + i)
            if backward:  # the rows join and enter the node (the op-amp) from the right
                canvas.join(merge_x, {receive}, into, EDGE, hot_rows)
                canvas.put(merge_x - 1, receive, "◀", HOT if hot_rows else EDGE)
            else:
                canvas.join(merge_x, into, {receive}, EDGE, hot_rows)
                canvas.put(merge_x + 1, receive, "▶", HOT if hot_rows else EDGE)
            self.after_node(canvas, column, node, node_x, receive)

    def ends_here(self, column: Column) -> bool:
        """Whether the backward block's rows come in from outside (no bus after them)."""
        return False

    def bright_row(self, node: Node, edge) -> bool:
        """A block row bright for the current step though it is no edge (a z step's bias)."""
        return False

    def after_node(self, canvas, column, node, node_x, receive) -> None:
        """Anything drawn beside a node (a network's targets)."""


class NetworkPicture(Picture):
    def __init__(self, session, step):
        super().__init__(session, step)
        self.n = step.sample or len(self.lesson.samples)
        self.widths = [layer.width for layer in self.lesson.layers]
        self.first = [sum(self.widths[:i]) for i in range(len(self.widths))]
        self.last = len(self.widths)
        self.out_index = 0 if self.view == "gradient" else 1  # a, under z (or first: a over δ)

    def everything(self) -> list[int]:
        inputs = [] if self.view == "backward" else [0]  # δ does not flow into the inputs
        return [*inputs, *range(1, self.last + 1)]

    def focus(self):
        """The current neuron's layer and the one it draws on (forward) or feeds (backward); for
        the loss, the output layer with its targets."""
        layer = self.step.layer
        if not layer:
            return ([self.last], None) if self.step.kind == "loss" else None
        if self.view == "backward":
            return ([layer] if layer == self.last else [layer, layer + 1]), self.step.neuron
        return [layer - 1, layer], self.step.neuron

    def caption(self) -> str:
        own = f"caption.{self.step.phase}"  # a phase drawn in another's view may have its own
        return t(own) if own in CATALOG["en"] else t(f"diagram.{self.view}")

    def margin(self, last: Column) -> int:
        return 12 if self.view == "forward" and last.key == self.last else 0

    # --- names and values ---

    def unit(self, layer: int, j: int) -> int:
        return self.first[layer - 1] + j

    def a_name(self, layer: int, j: int) -> str:
        if layer == 0:
            return name_with_subscript(self.lesson.inputs[j - 1])
        return f"y{sub(j)}" if layer == self.last else f"a{sub(self.unit(layer, j))}"

    def step_id(self, layer: int, j: int, what: str) -> str:
        phase = {"z": "forward", "a": "forward", "dl_dy": "output"}.get(what)
        phase = phase or ("output" if layer == self.last else "backward")
        return f"s{self.n}.{phase}.L{layer}.n{j}.{what}"

    def node_rows(self, layer: int, j: int, final: bool = False) -> list[str]:
        if layer == 0:
            return [
                f"{self.a_name(0, j)} {given(self.lesson.samples[self.n - 1].x[j - 1]).strip('()')}"
            ]  # noqa: E501
        unit = self.unit(layer, j)
        delta = f"δ{sub(unit)} {self.value(self.step_id(layer, j, 'dl_dz'), final)}"
        a = f"{self.a_name(layer, j)} {self.value(self.step_id(layer, j, 'a'), final)}"
        if self.view == "backward":
            activation = self.lesson.layers[layer - 1].activation
            gain = self.value(self.step_id(layer, j, "gain"), final)
            name = derivative_name(activation)
            rows = ["◁ softmax" if activation == "softmax" else f"◁ {name} {gain}", delta]
            # What the gain is worked from, from the forward pass: a (or z, for a ReLU).
            if activation == "relu":
                rows.append(f"z{sub(unit)} {self.value(self.step_id(layer, j, 'z'), final)}")
            elif activation != "linear":
                rows.append(a)
            return rows
        if self.view == "gradient":
            return [a, delta]
        return [f"z{sub(unit)} {self.value(self.step_id(layer, j, 'z'), final)}", a]

    def block(self, layer: int, j: int) -> list[tuple[str, tuple | None]]:
        """A node's block: (label, the edge it stands for, or None for the bias or ∂l/∂y)."""
        if layer == 0:
            return []
        spec = self.lesson.layers[layer - 1]
        if self.view != "backward":
            rows = [
                (f"{given(w).strip('()')}·{self.a_name(layer - 1, k)}", (layer, j, k))
                for k, w in enumerate(spec.weights[j - 1], 1)
            ]
            bias = given(spec.biases[j - 1]).strip("()")
            return [*rows, (f"+b{sub(self.unit(layer, j))} {bias}", None)]
        y = self.a_name(layer, j)
        if layer == self.last:
            target = given(self.lesson.samples[self.n - 1].target[j - 1]).strip("()")
            if spec.activation == "softmax":
                return [(f"{y} − ŷ{sub(j)}  ŷ{sub(j)} {target}", None)]
            dl_dy = self.value(self.step_id(layer, j, "dl_dy"))
            return [(f"∂l/∂{y} {dl_dy}  ŷ{sub(j)} {target}", None)]  # what ∂l/∂y is worked from
        return [
            (f"{given(row[j - 1]).strip('()')}·δ{sub(self.unit(layer + 1, k))}", (layer + 1, k, j))
            for k, row in enumerate(self.lesson.layers[layer].weights, 1)
        ]

    def column(self, key: int, only=None, bare: bool = False) -> Column:
        focus = self.step.layer
        units = range(1, (len(self.lesson.inputs) if key == 0 else self.widths[key - 1]) + 1)
        if only is not None and key == focus:
            units, bare = [only], False
        hot = self.hot_nodes()
        nodes = []
        for j in units:
            current = key == focus and self.step.neuron == j
            style = CURRENT if current else HOT if (key, j) in hot else NODE_STYLE
            block = [] if bare else self.block(key, j)
            rows, final = self.node_rows(key, j), self.node_rows(key, j, final=True)
            nodes.append(Node(j, rows, final, block, style))
        if key == 0:
            title = t("diagram.inputs")
        else:
            name = t("diagram.output") if key == self.last else t("diagram.layer", n=key)
            title = f"{name} ({self.lesson.layers[key - 1].activation})"
        return Column(key, title, nodes, bare=bare)

    def hot_nodes(self) -> set[tuple[int, int]]:
        """The nodes at the other end of the current step's edges: (layer, unit in layer)."""
        if self.view == "backward":
            return {(layer, j) for layer, j, _ in self.used}
        return {(layer - 1, k) for layer, _, k in self.used}

    def ends_here(self, column: Column) -> bool:
        return column.key == self.last  # ∂l/∂y comes in from outside: no bus after it

    def bright_row(self, node: Node, edge) -> bool:
        current = node.style == CURRENT
        return edge is None and current and self.step.kind == "z"  # the bias of this z

    def after_node(self, canvas, column, node, node_x, receive) -> None:
        if column.key == self.last and self.view == "forward":
            target = given(self.lesson.samples[self.n - 1].target[node.key - 1]).strip("()")
            canvas.put(node_x + column.node_w + 2, receive + 1, f"ŷ{sub(node.key)} {target}", MUTED)


class GraphPicture(Picture):
    """A chain-rule graph: inputs on the left, the output on the right, one column per depth."""

    def __init__(self, session, step):
        super().__init__(session, step)
        lesson = self.lesson
        self.inputs = dict(lesson.inputs)
        self.parents = {node.name: node.parents for node in lesson.nodes}
        self.exprs = {node.name: node.expr for node in lesson.nodes}
        self.children = {name: [n for n, ps in self.parents.items() if name in ps]
                         for name in [*self.inputs, *self.parents]}  # fmt: skip
        depth = dict.fromkeys(self.inputs, 0)
        for node in lesson.nodes:
            depth[node.name] = 1 + max((depth[p] for p in node.parents), default=-1)
        self.depth = depth
        self.out_index = 1 if self.view == "backward" else 0

    def everything(self) -> list[int]:
        return list(range(max(self.depth.values()) + 1))

    def focus(self):
        """The current node's column and the one it draws on (forward) or feeds (backward)."""
        node = self.step.node
        if not node:
            return None
        depth = self.depth[node]
        deepest = max(self.depth.values())
        if self.view == "backward":
            return [depth, *([depth + 1] if depth < deepest else [])], node
        return [*([depth - 1] if depth else []), depth], node

    def caption(self) -> str:
        return t(f"diagram.{self.step.phase}")

    def node_rows(self, name: str, final: bool = False) -> list[str]:
        if name in self.inputs:
            first = f"{name} = {given(self.inputs[name]).strip('()')}"
        else:
            first = f"{name} = {self.value(f'values.{name}', final)}"
        out = self.lesson.output
        if self.view == "backward":
            grad = "1" if name == out else self.value(f"chain.{name}", final)
            return [first, f"∂{out}/∂{name} = {grad}"]
        return [first] if name in self.inputs else [first, f"= {self.exprs[name]}"]

    def block(self, name: str) -> list[tuple[str, tuple]]:
        if self.view == "backward":
            return [(f"∂{c}/∂{name} {self.value(f'local.{c}.{name}')}", (name, c))
                    for c in self.children[name]]  # fmt: skip
        if self.step.phase == "values":
            return [(p, (p, name)) for p in self.parents.get(name, ())]
        return [(f"∂{name}/∂{p} {self.value(f'local.{name}.{p}')}", (p, name))
                for p in self.parents.get(name, ())]  # fmt: skip

    def column(self, key: int, only=None, bare: bool = False) -> Column:
        names = [n for n, d in self.depth.items() if d == key]
        if only in names:
            names, bare = [only], False
        elif only is not None:  # the focused view's other column: only the nodes joined to it
            joined = self.children[only] if self.view == "backward" else self.parents.get(only, ())
            names = [n for n in names if n in joined]
        hot = {p for p, _ in self.used} if self.view != "backward" else {c for _, c in self.used}
        nodes = []
        for name in names:
            style = CURRENT if name == self.step.node else HOT if name in hot else NODE_STYLE
            block = [] if bare else self.block(name)
            nodes.append(Node(name, self.node_rows(name), self.node_rows(name, True), block, style))
        return Column(key, t("diagram.inputs") if key == 0 else "", nodes, bare=bare)
