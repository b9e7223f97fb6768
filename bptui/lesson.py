"""Lesson files: find them, read them as untrusted data, validate them into a `Lesson`.

Nothing here evaluates lesson text: TOML is parsed by the standard library, and every value is
checked for type, shape and range before the engine sees it. Every problem becomes a `LessonError`
that says what is wrong and where (the line when it can be found, and the field path).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from bptui.notation import clean

ACTIVATIONS = ("sigmoid", "tanh", "relu", "linear", "softmax")
LOSSES = ("squared_error", "cross_entropy")
# The phases of the tutor, in the order it walks them (seed section 2, then the summary).
PHASES = ("forward", "loss", "output", "backward", "gradient", "total", "update")
# A chain-rule graph lesson: every node's value, every edge's local derivative, then the output's
# derivative with respect to every node, from the output back (seed section 1).
GRAPH_PHASES = ("values", "local", "chain")
NARRATION_KEYS = ("intro", *PHASES, *GRAPH_PHASES, "summary")
# [narration.zh] (or .en) holds the same texts, and the title and summary, in another language.
LANGUAGES = ("en", "zh")
MAX_NODES = 12

# How much a step's card gives before the answer (each level needs more of the learner):
# the formula with the numbers put in, the formula in symbols only, or only what is asked.
SCAFFOLDS = ("numbers", "formula", "blank")

MAX_BYTES = 64 * 1024
MAX_INPUTS = 8
MAX_WIDTH = 8
MAX_LAYERS = 5
MAX_SAMPLES = 8
MAX_MAGNITUDE = 1e6
DEFAULT_DECIMALS = 3


class LessonError(Exception):
    """A lesson that cannot be used, with where the problem is."""

    def __init__(self, source: str, message: str, where: str = "", line: int | None = None):
        super().__init__(message)
        self.source = source
        self.message = message
        self.where = where
        self.line = line

    def __str__(self) -> str:
        place = self.source + (f":{self.line}" if self.line else "")
        return f"{place}: {self.where + ': ' if self.where else ''}{self.message}"


class Layer(NamedTuple):  # NamedTuple, not dataclass: cheaper to define, on the first frame's path
    activation: str
    weights: tuple[tuple[float, ...], ...]  # row j = the weights into neuron j
    biases: tuple[float, ...]

    @property
    def width(self) -> int:
        return len(self.biases)


class Sample(NamedTuple):
    x: tuple[float, ...]
    target: tuple[float, ...]


@dataclass(frozen=True, kw_only=True)
class LessonInfo:
    """What every kind of lesson has besides its content: how it is shown, where it came from."""

    summary: str = ""
    decimals: int = DEFAULT_DECIMALS
    scaffold: str = "numbers"  # how much each card gives: see SCAFFOLDS
    narration: dict = field(default_factory=dict)  # phase → text; "zh"/"en" → such a table
    source: str = "<lesson>"
    name: str = "lesson"
    text: str = ""  # the file as read, so progress can tell when a lesson has changed


@dataclass(frozen=True)
class Lesson(LessonInfo):
    title: str
    inputs: tuple[str, ...]
    layers: tuple[Layer, ...]
    loss: str
    learning_rate: float
    samples: tuple[Sample, ...]
    ask: tuple[str, ...] = PHASES

    @property
    def output(self) -> Layer:
        return self.layers[-1]


class GraphNode(NamedTuple):
    name: str
    expr: str  # as written in the file
    tree: tuple  # parsed (bptui.expr)
    parents: tuple[str, ...]  # the names it uses, in order of first appearance


@dataclass(frozen=True)
class GraphLesson(LessonInfo):
    title: str
    inputs: tuple[tuple[str, float], ...]
    nodes: tuple[GraphNode, ...]
    output: str
    ask: tuple[str, ...] = GRAPH_PHASES

    samples = ()  # a graph has no training samples


# ---------------------------------------------------------------------------------------------
# Finding and reading


def lessons_dir() -> Path:
    """The shipped lessons: inside the installed package, or beside it in a source checkout."""
    here = Path(__file__).resolve().parent
    installed = here / "lessons"
    return installed if installed.is_dir() else here.parent / "lessons"


def shipped_lessons() -> list[Path]:
    return sorted(lessons_dir().glob("*.toml"))


def resolve(spec: str) -> Path:
    """A LESSON argument is a path, or the file stem of a shipped lesson."""
    path = Path(spec)
    if path.exists() or path.suffix == ".toml" or "/" in spec or "\\" in spec:
        return path
    shipped = lessons_dir() / f"{spec}.toml"
    if shipped.exists():
        return shipped
    names = ", ".join(p.stem for p in shipped_lessons()) or "none"
    raise LessonError(spec, f"no such file, and no shipped lesson of that name (shipped: {names})")


def read_text(path: Path, limit: int = MAX_BYTES, what: str = "a lesson file") -> str:
    """A lesson (or answers) file's text, read through the one reader of untrusted files."""
    from bptui.files import FileProblem
    from bptui.files import read_text as read_untrusted

    try:
        text = read_untrusted(path, limit, what)
    except FileProblem as problem:
        raise LessonError(str(path), problem.message, line=problem.line) from None
    if not text.strip():
        raise LessonError(str(path), "is empty")
    return text


def load_toml(text: str, source: str, error=None) -> dict:
    """TOML parsed by the standard library; every failure a located message, never a traceback."""
    import tomllib  # here: a lesson parsed on an earlier run comes from the cache without it

    error = error or LessonError
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as problem:
        message, line = _toml_message(str(problem))
        raise error(source, f"not valid TOML: {message}", line=line) from None
    except RecursionError:
        raise error(source, "not valid TOML: nested too deeply") from None


def load(spec: str) -> Lesson:
    """Read and validate a lesson given as a path or a shipped name."""
    from bptui import cache

    path = resolve(spec)
    text = read_text(path)
    inputs = ("lesson", str(path), path.stem, text)
    lesson = cache.get(*inputs)  # the same file parsed by the same code on an earlier run
    if not isinstance(lesson, Lesson):
        lesson = parse(text, source=str(path), name=path.stem)
        cache.put(lesson, *inputs)
    return lesson


def parse(text: str, source: str = "<lesson>", name: str = "lesson") -> Lesson:
    data = load_toml(text.removeprefix("\ufeff"), source)
    return _Validator(source, text).lesson(data, name)


def _toml_message(text: str) -> tuple[str, int | None]:
    match = re.search(r"\(at line (\d+), column (\d+)\)", text)
    if not match:
        return text, None
    message = text[: match.start()].strip()
    return f"{message[:1].lower()}{message[1:]} (column {match.group(2)})", int(match.group(1))


# ---------------------------------------------------------------------------------------------
# Validation


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


class _Validator:
    def __init__(self, source: str, text: str):
        self.source = source
        self.text = text

    def fail(self, where: str, message: str) -> LessonError:
        return LessonError(self.source, message, where, locate(self.text, where))

    def table(self, data: object, where: str, required: tuple, optional: tuple = ()) -> dict:
        if not isinstance(data, dict):
            raise self.fail(where, f"must be a table, not {_kind(data)}")
        for key in required:
            if key not in data:
                raise self.fail(where, f"missing key '{key}'")
        unknown = [key for key in data if key not in required and key not in optional]
        if unknown:
            expected = ", ".join((*required, *optional))
            raise self.fail(where, f"unknown key '{unknown[0]}' (expected: {expected})")
        return data

    def string(self, value: object, where: str) -> str:
        """A string, without control characters: lesson text never drives the terminal."""
        if not isinstance(value, str):
            raise self.fail(where, f"must be a string, not {_kind(value)}")
        return clean(value)

    def choice(self, value: object, where: str, valid: tuple[str, ...], what: str) -> str:
        value = self.string(value, where)
        if value not in valid:
            raise self.fail(where, f"unknown {what} '{value}' (valid: {', '.join(valid)})")
        return value

    def number(self, value: object, where: str) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(where, f"must be a number, not {_kind(value)}")
        if isinstance(value, int) and abs(value) > MAX_MAGNITUDE:
            raise self.fail(where, f"is too large; numbers are limited to ±{MAX_MAGNITUDE:g}")
        if not math.isfinite(value):
            raise self.fail(where, f"must be a finite number, not {value}")
        if abs(value) > MAX_MAGNITUDE:
            raise self.fail(
                where, f"{value:g} is too large; numbers are limited to ±{MAX_MAGNITUDE:g}"
            )
        return float(value)

    def vector(self, value: object, where: str, length: int | None, what: str) -> tuple:
        if not isinstance(value, list):
            raise self.fail(where, f"must be a list of numbers, not {_kind(value)}")
        if length is not None and len(value) != length:
            raise self.fail(where, f"has {len(value)} numbers, but {what} needs {length}")
        if not value:
            raise self.fail(where, "must not be empty")
        return tuple(self.number(item, f"{where}[{i + 1}]") for i, item in enumerate(value))

    def items(self, value: object, where: str, what: str, limit: int) -> list:
        if not isinstance(value, list):
            raise self.fail(where, f"must be a list of {what}, not {_kind(value)}")
        if not value:
            raise self.fail(where, f"needs at least one of {what}")
        if len(value) > limit:
            raise self.fail(where, f"has {len(value)} {what}; a lesson may have at most {limit}")
        return value

    # --- the lesson ---

    def lesson(self, data: dict, name: str) -> Lesson | GraphLesson:
        optional = ("summary", "display", "tutor", "narration")
        if isinstance(data, dict) and "graph" in data:
            return self.graph_lesson(data, name, optional)
        top = self.table(data, "lesson", ("title", "network", "training"), optional)
        inputs, layers = self.network(top["network"])
        loss, rate, samples = self.training(top["training"], len(inputs), layers)
        return Lesson(
            **self.common(top, name, PHASES),
            inputs=inputs,
            layers=layers,
            loss=loss,
            learning_rate=rate,
            samples=samples,
        )

    def common(self, top: dict, name: str, phases: tuple[str, ...]) -> dict:
        """The fields every kind of lesson has: title, summary, display, tutor and narration."""
        title = self.string(top["title"], "title").strip()
        if not title:
            raise self.fail("title", "must not be empty")
        decimals, ask, narration = self.tutor_options(top, phases)
        summary = self.string(top.get("summary", ""), "summary").strip()
        return {
            "title": title, "summary": summary, "decimals": decimals, "ask": ask,
            "scaffold": self.scaffold, "narration": narration, "source": self.source,
            "name": name, "text": self.text,
        }  # fmt: skip

    def network(self, data: object) -> tuple[tuple[str, ...], tuple[Layer, ...]]:
        network = self.table(data, "network", ("inputs", "layers"))
        names = self.items(network["inputs"], "network.inputs", "input names", MAX_INPUTS)
        inputs = tuple(self.string(n, f"network.inputs[{i + 1}]") for i, n in enumerate(names))
        if len(set(inputs)) != len(inputs) or not all(n.strip() for n in inputs):
            raise self.fail("network.inputs", "input names must be unique and not empty")
        tables = self.items(network["layers"], "network.layers", "layers", MAX_LAYERS)
        layers = []
        fan_in = len(inputs)
        for index, table in enumerate(tables, start=1):
            layer = self.layer(table, f"network.layers[{index}]", fan_in)
            if layer.activation == "softmax" and index != len(tables):
                raise self.fail(
                    f"network.layers[{index}].activation",
                    "softmax is allowed only on the output layer (the last one)",
                )
            layers.append(layer)
            fan_in = layer.width
        return inputs, tuple(layers)

    def layer(self, data: object, where: str, fan_in: int) -> Layer:
        table = self.table(data, where, ("activation", "weights", "biases"))
        activation = self.choice(
            table["activation"], f"{where}.activation", ACTIVATIONS, "activation"
        )
        rows = self.items(table["weights"], f"{where}.weights", "rows of weights", MAX_WIDTH)
        what = "the layer before" if not where.endswith("[1]") else "the input size"
        weights = tuple(
            self.vector(row, f"{where}.weights[{j + 1}]", fan_in, f"{what} ({fan_in} units)")
            for j, row in enumerate(rows)
        )
        biases = self.vector(
            table["biases"], f"{where}.biases", len(weights), "one per row of weights"
        )
        return Layer(activation, weights, biases)

    def training(self, data: object, n_inputs: int, layers: tuple[Layer, ...]):
        training = self.table(data, "training", ("loss", "learning_rate", "samples"))
        loss = self.choice(training["loss"], "training.loss", LOSSES, "loss")
        output = layers[-1]
        if loss == "cross_entropy" and output.activation != "softmax":
            raise self.fail(
                f"network.layers[{len(layers)}].activation",
                "cross_entropy needs a softmax output layer",
            )
        if output.activation == "softmax" and loss != "cross_entropy":
            raise self.fail("training.loss", "a softmax output layer goes with cross_entropy")
        rate = self.number(training["learning_rate"], "training.learning_rate")
        if rate <= 0:
            raise self.fail("training.learning_rate", f"must be a positive number, not {rate:g}")
        tables = self.items(training["samples"], "training.samples", "samples", MAX_SAMPLES)
        samples = []
        for index, table in enumerate(tables, start=1):
            where = f"training.samples[{index}]"
            sample = self.table(table, where, ("x", "target"))
            x = self.vector(sample["x"], f"{where}.x", n_inputs, f"the network's {n_inputs} inputs")
            target = self.vector(
                sample["target"],
                f"{where}.target",
                output.width,
                f"the output layer's {output.width} neurons",
            )
            if loss == "cross_entropy" and (
                min(target) < 0 or not math.isclose(sum(target), 1.0, abs_tol=1e-9)
            ):
                raise self.fail(
                    f"{where}.target",
                    "cross_entropy targets must be a distribution (each ≥ 0, summing to 1)",
                )
            samples.append(Sample(x, target))
        return loss, rate, tuple(samples)

    def tutor_options(
        self, top: dict, phases: tuple[str, ...]
    ) -> tuple[int, tuple[str, ...], dict]:
        display = self.table(top.get("display", {}), "display", (), ("decimals",))
        decimals = display.get("decimals", DEFAULT_DECIMALS)
        if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 6:
            raise self.fail("display.decimals", "must be a whole number from 0 to 6")
        tutor = self.table(top.get("tutor", {}), "tutor", (), ("ask", "scaffold"))
        self.scaffold = self.choice(tutor.get("scaffold", "numbers"), "tutor.scaffold",
                                    SCAFFOLDS, "scaffold")  # fmt: skip
        ask = tutor.get("ask", list(phases))
        if not isinstance(ask, list) or not ask:
            raise self.fail("tutor.ask", "must be a non-empty list of phases")
        for i, phase in enumerate(ask):
            self.choice(phase, f"tutor.ask[{i + 1}]", phases, "phase")
        narration = self.table(
            top.get("narration", {}), "narration", (), (*NARRATION_KEYS, *LANGUAGES)
        )
        texts = {}
        for key, value in narration.items():
            if key in LANGUAGES:
                keys = (*NARRATION_KEYS, "title")
                texts[key] = {
                    inner: self.string(text, f"narration.{key}.{inner}")
                    for inner, text in self.table(value, f"narration.{key}", (), keys).items()
                }
            else:
                texts[key] = self.string(value, f"narration.{key}")
        return decimals, tuple(p for p in phases if p in ask), texts

    # --- a chain-rule graph ---

    def graph_lesson(self, data: dict, name: str, optional: tuple) -> GraphLesson:
        from bptui import expr

        top = self.table(data, "lesson", ("title", "graph"), optional)
        graph = self.table(top["graph"], "graph", ("inputs", "output", "nodes"))
        raw_inputs = graph["inputs"]
        if not isinstance(raw_inputs, dict) or not raw_inputs:
            raise self.fail("graph.inputs", "must be a table of name = number, e.g. { s = 0.5 }")
        inputs = []
        for key, value in raw_inputs.items():
            self.identifier(key, f"graph.inputs.{key}", expr)
            inputs.append((key, self.number(value, f"graph.inputs.{key}")))
        tables = self.items(graph["nodes"], "graph.nodes", "nodes", MAX_NODES)
        names = [n for n, _ in inputs]
        texts = []
        for index, table in enumerate(tables, start=1):
            where = f"graph.nodes[{index}]"
            node = self.table(table, where, ("name", "expr"))
            node_name = self.identifier(node["name"], f"{where}.name", expr)
            if node_name in names:
                raise self.fail(f"{where}.name", f"'{node_name}' is already defined")
            names.append(node_name)
            texts.append((node_name, self.string(node["expr"], f"{where}.expr")))
        defined = [n for n, _ in inputs]
        nodes = []
        for index, (node_name, text) in enumerate(texts, start=1):
            where = f"graph.nodes[{index}].expr"
            try:
                tree = expr.parse(text)
            except expr.ExprError as error:
                raise self.fail(where, f"cannot read '{text}': {error}") from None
            parents = expr.names_in(tree)
            for parent in parents:
                if parent in defined:
                    continue
                if parent not in names:
                    raise self.fail(
                        where, f"unknown name '{parent}' (defined: {', '.join(defined)})"
                    )
                loop = _cycle(node_name, dict(texts), expr)
                if loop:
                    raise self.fail(where, f"cycle: {' → '.join(loop)}")
                raise self.fail(
                    where, f"uses '{parent}' before it is defined (nodes are computed in order)"
                )
            nodes.append(GraphNode(node_name, text, tree, parents))
            defined.append(node_name)
        output = self.string(graph["output"], "graph.output")
        if output not in [n.name for n in nodes]:
            raise self.fail(
                "graph.output",
                f"'{output}' is not a node (nodes: {', '.join(n.name for n in nodes)})",
            )
        self.evaluable(inputs, nodes, expr)
        return GraphLesson(
            **self.common(top, name, GRAPH_PHASES),
            inputs=tuple(inputs),
            nodes=tuple(nodes),
            output=output,
        )

    def identifier(self, value: object, where: str, expr) -> str:
        value = self.string(value, where)
        if not re.fullmatch(r"[A-Za-z_][A-Za-z_0-9]*", value):
            raise self.fail(
                where, f"'{value}' is not a name (letters, digits and _, not first a digit)"
            )
        if value in expr.FUNCTIONS:
            raise self.fail(where, f"'{value}' is the name of a function")
        return value

    def evaluable(self, inputs, nodes, expr) -> None:
        """Every value and every local derivative must exist at the given inputs."""
        values = dict(inputs)
        for index, node in enumerate(nodes, start=1):
            where = f"graph.nodes[{index}].expr"
            try:
                values[node.name] = expr.evaluate(node.tree, values)
            except expr.ExprError as error:
                raise self.fail(where, f"{error} at the given inputs") from None
            for parent in node.parents:
                try:
                    expr.evaluate(expr.derivative(node.tree, parent), values)
                except expr.ExprError as error:
                    raise self.fail(
                        where, f"∂{node.name}/∂{parent}: {error} at the given inputs"
                    ) from None


def _cycle(start: str, exprs: dict[str, str], expr) -> list[str] | None:
    """A loop of node names through `start`, if the nodes' expressions make one."""
    uses = {}
    for name, text in exprs.items():
        try:
            uses[name] = [n for n in expr.names_in(expr.parse(text)) if n in exprs]
        except expr.ExprError:
            uses[name] = []

    def walk(name: str, path: list[str]) -> list[str] | None:
        for nxt in uses.get(name, []):
            if nxt == start:
                return [*path, nxt]
            if nxt not in path:
                found = walk(nxt, [*path, nxt])
                if found:
                    return found
        return None

    return walk(start, [start])


def locate(text: str, where: str) -> int | None:
    """Best effort: the line of the file that holds `where`, e.g. network.layers[2].weights."""
    lines = text.splitlines()
    section: list[str] = []
    start: int | None = None
    key = None
    for part in where.split("."):
        name, _, index = part.partition("[")
        if name in ("layers", "samples", "nodes") and index:  # [[network.layers]], from 1
            section.append(name)
            header = "[[" + ".".join(section) + "]]"
            start = _header_line(lines, header, int(index.split("]")[0]), after=start or 0)
            if start is None:
                return None
        elif not section and name in (
            "network",
            "training",
            "display",
            "tutor",
            "narration",
            "graph",
        ):
            section.append(name)
            start = _header_line(lines, f"[{name}]", 1, after=0)
        else:
            key = name
            break
    begin = start or 0
    if key is not None:
        for number in range(begin, len(lines)):
            if number > begin and lines[number].lstrip().startswith("["):
                break
            if re.match(rf"\s*{re.escape(key)}\s*=", lines[number]):
                return number + 1
    return None if start is None else start + 1


def _header_line(lines: list[str], header: str, nth: int, after: int) -> int | None:
    seen = 0
    for number in range(after, len(lines)):
        if lines[number].strip().startswith(header):
            seen += 1
            if seen == nth:
                return number
    return None
