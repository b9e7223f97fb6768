"""Lesson files: find them, read them as untrusted data, validate them into a `Lesson`.

Nothing here evaluates lesson text: TOML is parsed by the standard library, and every value is
checked for type, shape and range before the engine sees it. Every problem of a file is found in one
pass and said by a `LessonError` (what is wrong and where: the line when it can be found, and the
field path); a check that depends on a broken part is skipped, so one mistake is said once.
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
# A network lesson may also ask "dz_dw": ∂z/∂w on every edge, after the forward pass (the
# forward pass's other half, in the lecture), but only when it lists it in `[tutor] ask`.
NETWORK_PHASES = ("forward", "dz_dw", *PHASES[1:])
# A chain-rule graph lesson: every node's value, every edge's local derivative, then the output's
# derivative with respect to every node, from the output back (seed section 1).
GRAPH_PHASES = ("values", "local", "chain")
NARRATION_KEYS = ("intro", *NETWORK_PHASES, *GRAPH_PHASES, "summary")
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
    """A lesson that cannot be used, with where the problem is; or, from the validator, every
    problem of a file (`problems`, in the order of the file), each such an error of its own."""

    def __init__(self, source: str, message: str, where: str = "", line: int | None = None):
        super().__init__(message)
        self.source = source
        self.message = message
        self.where = where
        self.line = line
        self.problems: list[LessonError] = [self]

    @classmethod
    def of(cls, source: str, problems: list[LessonError], more: bool = False) -> LessonError:
        """One error for a file's problems: the problem itself when there is only one."""
        if len(problems) == 1 and not more:
            return problems[0]
        count = f"more than {len(problems)} errors" if more else f"{len(problems)} errors"
        error = cls(source, count + (f"; the first {len(problems)}:" if more else ""))
        error.problems = list(problems)
        return error

    def lines(self) -> list[str]:
        """Each on a line of its own (a newline in a quoted key does not start another): the
        problem, or the count and then every problem, indented."""
        if len(self.problems) == 1:
            return [_one_line(self.located())]
        return [self.located(), *("  " + _one_line(p.located()) for p in self.problems)]

    def located(self) -> str:
        place = self.source + (f":{self.line}" if self.line else "")
        return f"{place}: {self.where + ': ' if self.where else ''}{self.message}"

    def __str__(self) -> str:
        return self.located() if len(self.problems) == 1 else "\n".join(self.lines())


def _one_line(text: str) -> str:
    return " ".join(text.splitlines())


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
    focus: tuple[str, ...] = ()  # skills asked within the asked phases (none: all of them)
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


def content(lesson) -> str:
    """What a lesson's steps depend on, its numbers and its questions, not its words: the title,
    summary, narration and scaffold level may change under a learner's progress."""
    from dataclasses import fields

    words = {"title", "summary", "narration", "scaffold", "source", "name", "text"}
    return repr([(f.name, getattr(lesson, f.name)) for f in fields(lesson) if f.name not in words])


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
    return _Validator(source, text).validate(data, name)


def _toml_message(text: str) -> tuple[str, int | None]:
    match = re.search(r"\(at line (\d+), column (\d+)\)", text)
    if not match:
        return text, None
    message = text[: match.start()].strip()
    return f"{message[:1].lower()}{message[1:]} (column {match.group(2)})", int(match.group(1))


# ---------------------------------------------------------------------------------------------
# Validation


def _kind(value: object) -> str:
    import datetime

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
    if isinstance(value, datetime.datetime):
        return "a date and time"
    if isinstance(value, datetime.date):
        return "a date"
    if isinstance(value, datetime.time):
        return "a time"
    return type(value).__name__


def _count(n: int, one: str, many: str = "") -> str:
    """`1 number`, `2 numbers`: a count with its noun in agreement."""
    return f"{n} {one if n == 1 else many or one + 's'}"


def _names(names: list[str]) -> str:
    """'a'; 'a' and 'b'; 'a', 'b' and 'c'."""
    quoted = [f"'{n}'" for n in names]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"


NAME = r"[A-Za-z_][A-Za-z_0-9]*"  # a graph's input or node
INPUT, OUTPUT = "input of the network", "neuron of the output layer"  # what a number is one per
MAX_PROBLEMS = 50  # a file with more has the first ones listed: fixing those comes first


class _TooMany(Exception):
    """Enough problems found: the validator stops and reports them."""


class _Shape(NamedTuple):
    """What the training part needs to know of the network; None where the network is broken."""

    inputs: int | None = None  # how many inputs
    layers: int | None = None  # how many layers
    activation: str | None = None  # the output layer's
    width: int | None = None  # the output layer's number of neurons


class _Validator:
    """Checks a parsed lesson field by field and notes every problem it finds.

    A check that depends on a broken part is skipped (the next layer's row lengths, when a layer's
    weights are not rows), so one mistake is reported once. Leaf checks (`string`, `number`, …)
    raise the problem; `attempt` notes it and gives None. Checks of a whole part (`table`,
    `vector`, `layer`, …) note their own problems and give None when the part is unusable: None
    is "unknown" to every check that depends on it.
    """

    def __init__(self, source: str, text: str):
        self.source = source
        self.text = text
        self.problems: list[LessonError] = []

    def validate(self, data: dict, name: str) -> Lesson | GraphLesson:
        """The lesson, or a LessonError with every problem found, in the order of the file."""
        try:
            lesson = self.lesson(data, name)
        except _TooMany:
            lesson = None
        if self.problems:
            found = sorted(self.problems[:MAX_PROBLEMS], key=lambda p: p.line or 0)
            raise LessonError.of(self.source, found, more=len(self.problems) > MAX_PROBLEMS)
        assert lesson is not None  # a part is left out only for a problem noted
        return lesson

    def fail(self, where: str, message: str, line_of: str = "") -> LessonError:
        """The problem, at the line of `line_of` (or of `where`, or else of the nearest field
        that holds it, e.g. `samples = [1, 2]` for training.samples[2])."""
        line = locate(self.text, line_of) if line_of else None
        path = where if where != "lesson" else ""
        while line is None and path:
            line = locate(self.text, path)
            parent = re.sub(r"\[\d+\]$|\.[^.[\]]*$", "", path)
            path = parent if parent != path else ""
        return LessonError(self.source, message, where, line)

    def note(self, problem: LessonError) -> None:
        self.problems.append(problem)
        if len(self.problems) > MAX_PROBLEMS:
            raise _TooMany

    def attempt(self, check, *args):
        """check(*args), or None with the problem it raised noted."""
        try:
            return check(*args)
        except LessonError as problem:
            self.note(problem)
            return None

    # --- fields ---

    def table(self, data: object, where: str, required: tuple, optional: tuple = ()):
        """The table, its missing keys a problem, each unknown key one of its own (at its line);
        None if it is not a table. A missing key is left out of what is checked next."""
        if not isinstance(data, dict):
            self.note(self.fail(where, f"must be a table, not {_kind(data)}"))
            return None
        missing = [key for key in required if key not in data]
        if missing:  # at one place: said together
            word = "key" if len(missing) == 1 else "keys"
            self.note(self.fail(where, f"missing {word} {_names(missing)}"))
        expected = ", ".join((*required, *optional))
        for key in data:
            if key not in required and key not in optional:
                message = f"unknown key '{key}' (expected: {expected})"
                self.note(self.fail(where, message, self.key_path(where, key)))
        return data

    @staticmethod
    def key_path(where: str, key: str) -> str:
        """The field path that finds a key's own line, when the key is written bare."""
        if not re.fullmatch(r"[A-Za-z0-9_-]+", key):
            return ""
        return key if where == "lesson" else f"{where}.{key}"

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

    def vector(self, value: object, where: str, length: int | None, each: str):
        """A list of numbers, `length` of them (one per `each`) when that is known; None if it is
        not one. A wrong length and every bad number are problems of their own."""
        if not isinstance(value, list):
            self.note(self.fail(where, f"must be a list of numbers, not {_kind(value)}"))
            return None
        if length is not None and len(value) != length:
            size = _count(len(value), "number")
            self.note(self.fail(where, f"has {size}, but needs {length} (one per {each})"))
        elif not value:
            if length != 0:  # 0: `length` said so already
                self.note(self.fail(where, "must not be empty"))
            return None
        numbers = [self.attempt(self.number, x, f"{where}[{i + 1}]") for i, x in enumerate(value)]
        if None in numbers or (length is not None and len(value) != length):
            return None
        return tuple(numbers)

    def length(self, lists: list, length: int | None, where: str, what: str, each: str):
        """The length to check each of `lists` against. When there are several and all have the
        same wrong length, that is one mistake (often in what they are measured against): said
        once, at `where`, and their own length is then the one they are checked against."""
        sizes = {len(v) if isinstance(v, list) else None for v in lists}
        if len(lists) < 2 or len(sizes) != 1 or None in sizes or length in (None, *sizes):
            return length
        size = sizes.pop()
        message = f"each {what} has {_count(size, 'number')}, but needs {length} (one per {each})"
        self.note(self.fail(where, message, f"{where}[1]"))
        return size

    def items(self, value: object, where: str, one: str, many: str, limit: int, holder: str):
        """A list of tables (or names): at least one, at most `limit` in `holder`."""
        if not isinstance(value, list):
            raise self.fail(where, f"must be a list of {many}, not {_kind(value)}")
        if not value:
            raise self.fail(where, f"needs at least one {one}")
        if len(value) > limit:
            raise self.fail(where, f"has {len(value)} {many}; {holder} may have at most {limit}")
        return value

    # --- a network lesson ---

    def lesson(self, data: dict, name: str) -> Lesson | GraphLesson | None:
        optional = ("summary", "display", "tutor", "narration")
        if "graph" in data:
            return self.graph_lesson(data, name, optional)
        top = self.table(data, "lesson", ("title", "network", "training"), optional)
        inputs, layers, shape = None, None, _Shape()
        if "network" in top:
            inputs, layers, shape = self.network(top["network"])
        training = None
        if "training" in top:
            training = self.training(top["training"], shape)
        common = self.common(top, name, NETWORK_PHASES, PHASES)
        if self.problems or None in (inputs, layers, training, common):
            return None
        loss, rate, samples = training
        return Lesson(
            **common, inputs=inputs, layers=layers, loss=loss, learning_rate=rate, samples=samples
        )

    def common(self, top: dict, name: str, phases: tuple[str, ...], default=None) -> dict | None:
        """The fields every kind of lesson has: title, summary, display, tutor and narration."""
        title = self.attempt(self.string, top["title"], "title") if "title" in top else None
        if title is not None and not title.strip():
            self.note(self.fail("title", "must not be empty"))
        summary = self.attempt(self.string, top.get("summary", ""), "summary")
        options = self.tutor_options(top, phases, default or phases)
        if title is None or summary is None or options is None:
            return None
        decimals, ask, scaffold, focus, narration = options
        return {
            "title": title.strip(), "summary": summary.strip(), "decimals": decimals, "ask": ask,
            "scaffold": scaffold, "focus": focus, "narration": narration, "source": self.source,
            "name": name, "text": self.text,
        }  # fmt: skip

    def network(self, data: object):
        """(input names, layers, shape): the names and layers None unless all are valid."""
        network = self.table(data, "network", ("inputs", "layers"))
        if network is None:
            return None, None, _Shape()
        inputs = self.input_names(network["inputs"]) if "inputs" in network else None
        given = network.get("inputs")  # their number is known even when a name is bad
        count = len(given) if isinstance(given, list) and 0 < len(given) <= MAX_INPUTS else None
        if "layers" not in network:
            return None, None, _Shape(count)
        tables = self.attempt(
            self.items,
            network["layers"],
            "network.layers",
            "layer",
            "layers",
            MAX_LAYERS,
            "a lesson",
        )
        if tables is None:
            return None, None, _Shape(count)
        layers = []
        fan_in = count
        activation = width = None
        for index, table in enumerate(tables, start=1):
            where = f"network.layers[{index}]"
            layer, activation, width = self.layer(table, where, fan_in, index == 1)
            if activation == "softmax" and index != len(tables):
                message = "softmax is allowed only on the output layer (the last one)"
                self.note(self.fail(f"{where}.activation", message))
            layers.append(layer)
            fan_in = width
        shape = _Shape(count, len(tables), activation, width)
        return inputs, None if None in layers else tuple(layers), shape

    def input_names(self, value: object) -> tuple[str, ...] | None:
        names = self.attempt(
            self.items, value, "network.inputs", "input name", "input names", MAX_INPUTS, "a lesson"
        )
        if names is None:
            return None
        inputs = []
        for i, item in enumerate(names, start=1):
            name = self.attempt(self.string, item, f"network.inputs[{i}]")
            if name is not None and not name.strip():
                self.note(self.fail(f"network.inputs[{i}]", "must not be empty"))
                name = None
            inputs.append(name)
        given = [n for n in inputs if n is not None]
        twice = [n for n in dict.fromkeys(given) if given.count(n) > 1]
        if twice:
            verb = "is" if len(twice) == 1 else "are"
            message = f"input names must be unique: {_names(twice)} {verb} given more than once"
            self.note(self.fail("network.inputs", message))
        return None if None in inputs or twice else tuple(inputs)

    def layer(self, data: object, where: str, fan_in: int | None, first: bool):
        """(the layer or None, its activation or None, its number of neurons or None)."""
        table = self.table(data, where, ("activation", "weights", "biases"))
        if table is None:
            return None, None, None
        activation = weights = biases = rows = None
        if "activation" in table:
            activation = self.attempt(
                self.choice, table["activation"], f"{where}.activation", ACTIVATIONS, "activation"
            )
        if "weights" in table:
            rows = self.attempt(
                self.items,
                table["weights"],
                f"{where}.weights",
                "row of weights",
                "rows of weights",
                MAX_WIDTH,
                "a layer",
            )
        if rows is not None and not any(isinstance(row, list) for row in rows):
            message = "must be a list of rows, a list of numbers per neuron, e.g. [[1, -2], [3, 4]]"
            self.note(self.fail(f"{where}.weights", message))
            rows = None  # how many neurons is not known: the next layer is not checked
        if rows is not None:
            each = INPUT if first else "unit of the layer before"
            length = self.length(rows, fan_in, f"{where}.weights", "row", each)
            weights = [
                self.vector(row, f"{where}.weights[{j}]", length, each)
                for j, row in enumerate(rows, start=1)
            ]
        if "biases" in table:
            count = None if rows is None else len(rows)
            biases = self.vector(table["biases"], f"{where}.biases", count, "row of weights")
        # The layer's width is its number of rows; unknown when they are broken, or when its
        # biases say otherwise (then the next layer is not checked against either).
        given = table.get("biases")
        width = None if rows is None else len(rows)
        if isinstance(given, list) and len(given) != width:
            width = None
        if activation is None or not weights or None in weights or biases is None:
            return None, activation, width
        return Layer(activation, tuple(weights), biases), activation, width

    def training(self, data: object, shape: _Shape):
        """(loss, learning rate, samples), or None."""
        training = self.table(data, "training", ("loss", "learning_rate", "samples"))
        if training is None:
            return None
        loss = rate = tables = None
        if "loss" in training:
            loss = self.attempt(self.choice, training["loss"], "training.loss", LOSSES, "loss")
        if loss == "cross_entropy" and shape.activation not in (None, "softmax"):
            message = "cross_entropy needs a softmax output layer"
            self.note(self.fail(f"network.layers[{shape.layers}].activation", message))
        if shape.activation == "softmax" and loss not in (None, "cross_entropy"):
            self.note(self.fail("training.loss", "a softmax output layer goes with cross_entropy"))
        if "learning_rate" in training:
            rate = self.attempt(self.number, training["learning_rate"], "training.learning_rate")
        if rate is not None and rate <= 0:
            message = f"must be a positive number, not {rate:g}"
            self.note(self.fail("training.learning_rate", message))
            rate = None
        if "samples" in training:
            tables = self.attempt(
                self.items,
                training["samples"],
                "training.samples",
                "sample",
                "samples",
                MAX_SAMPLES,
                "a lesson",
            )
        if tables is None:
            return None
        given = [table if isinstance(table, dict) else {} for table in tables]
        xs = [table.get("x") for table in given]
        targets = [table.get("target") for table in given]
        sizes = (
            self.length(xs, shape.inputs, "training.samples", "x", INPUT),
            self.length(targets, shape.width, "training.samples", "target", OUTPUT),
        )
        samples = [
            self.sample(table, f"training.samples[{index}]", sizes, loss)
            for index, table in enumerate(tables, start=1)
        ]
        if loss is None or rate is None or None in samples:
            return None
        return loss, rate, tuple(samples)

    def sample(self, data: object, where: str, sizes: tuple, loss: str | None) -> Sample | None:
        """A sample, its x and target checked against `sizes` (those unknown: None)."""
        sample = self.table(data, where, ("x", "target"))
        if sample is None:
            return None
        x = target = None
        if "x" in sample:
            x = self.vector(sample["x"], f"{where}.x", sizes[0], INPUT)
        if "target" in sample:
            target = self.vector(sample["target"], f"{where}.target", sizes[1], OUTPUT)
        if (
            loss == "cross_entropy"
            and target is not None
            and (min(target) < 0 or not math.isclose(sum(target), 1.0, abs_tol=1e-9))
        ):
            message = "cross_entropy targets must be a distribution (each ≥ 0, summing to 1)"
            self.note(self.fail(f"{where}.target", message))
            return None
        return None if x is None or target is None else Sample(x, target)

    def tutor_options(self, top: dict, phases: tuple[str, ...], default: tuple[str, ...]):
        """(decimals, the phases asked, scaffold, the skills in focus, narration), or None."""
        decimals = DEFAULT_DECIMALS
        display = self.table(top.get("display", {}), "display", (), ("decimals",))
        if display is not None:
            decimals = display.get("decimals", DEFAULT_DECIMALS)
            if (
                isinstance(decimals, bool)
                or not isinstance(decimals, int)
                or not 0 <= decimals <= 6
            ):
                self.note(self.fail("display.decimals", "must be a whole number from 0 to 6"))
                decimals = None
        ask = scaffold = focus = None
        tutor = self.table(top.get("tutor", {}), "tutor", (), ("ask", "scaffold", "focus"))
        if tutor is not None:
            focus = self.focus(tutor.get("focus", []))
            scaffold = self.attempt(
                self.choice,
                tutor.get("scaffold", "numbers"),
                "tutor.scaffold",
                SCAFFOLDS,
                "scaffold",
            )
            ask = self.ask(tutor.get("ask", list(default)), phases)
        narration = self.narration(top.get("narration", {}))
        if None in (decimals, ask, scaffold, focus, narration):
            return None
        return decimals, ask, scaffold, focus, narration

    def focus(self, value: object) -> tuple[str, ...] | None:
        """Skills (bptui.mastery.SKILLS): within the asked phases, only their steps are asked."""
        from bptui.skills import SKILLS

        if not isinstance(value, list):
            self.note(self.fail("tutor.focus", "must be a list of skills"))
            return None
        chosen = [
            self.attempt(self.choice, skill, f"tutor.focus[{i}]", SKILLS, "skill")
            for i, skill in enumerate(value, start=1)
        ]
        return None if None in chosen else tuple(s for s in SKILLS if s in chosen)

    def ask(self, value: object, phases: tuple[str, ...]) -> tuple[str, ...] | None:
        if not isinstance(value, list) or not value:
            self.note(self.fail("tutor.ask", "must be a non-empty list of phases"))
            return None
        asked = [
            self.attempt(self.choice, phase, f"tutor.ask[{i}]", phases, "phase")
            for i, phase in enumerate(value, start=1)
        ]
        return None if None in asked else tuple(p for p in phases if p in asked)

    def narration(self, value: object) -> dict | None:
        narration = self.table(value, "narration", (), (*NARRATION_KEYS, *LANGUAGES))
        if narration is None:
            return None
        texts: dict = {}
        complete = True
        for key, text in narration.items():
            if key in LANGUAGES:
                keys = (*NARRATION_KEYS, "title")
                table = self.table(text, f"narration.{key}", (), keys)
                if table is None:
                    complete = False
                    continue
                texts[key] = {}
                for inner, inner_text in table.items():
                    if inner in keys:
                        where = f"narration.{key}.{inner}"
                        texts[key][inner] = self.attempt(self.string, inner_text, where)
                        complete = complete and texts[key][inner] is not None
            elif key in NARRATION_KEYS:
                texts[key] = self.attempt(self.string, text, f"narration.{key}")
                complete = complete and texts[key] is not None
        return texts if complete else None

    # --- a chain-rule graph ---

    def graph_lesson(self, data: dict, name: str, optional: tuple) -> GraphLesson | None:
        from bptui import expr

        top = self.table(data, "lesson", ("title", "graph"), optional)
        common = self.common(top, name, GRAPH_PHASES)
        graph = self.table(top["graph"], "graph", ("inputs", "output", "nodes"))
        if graph is None:
            return None
        inputs = self.graph_inputs(graph["inputs"], expr) if "inputs" in graph else None
        names = [n for n, _ in inputs or ()]
        entries = None
        if "nodes" in graph:
            entries = self.attempt(
                self.items, graph["nodes"], "graph.nodes", "node", "nodes", MAX_NODES, "a lesson"
            )
        nodes = None if entries is None else self.graph_nodes(entries, names, inputs, expr)
        output = None
        if "output" in graph:
            output = self.attempt(self.string, graph["output"], "graph.output")
        named = [] if nodes is None else [n for n, _, _ in nodes]
        if output is not None and nodes is not None and None not in named and output not in named:
            message = f"'{output}' is not a node (nodes: {', '.join(named)})"
            self.note(self.fail("graph.output", message))
        built = None if inputs is None or nodes is None else self.evaluable(inputs, nodes, expr)
        if self.problems or None in (common, built, output):
            return None
        return GraphLesson(**common, inputs=tuple(inputs), nodes=tuple(built), output=output)

    def graph_inputs(self, value: object, expr) -> list | None:
        """[(name, value)], the name None if it is not one, the value if it is not a number."""
        if not isinstance(value, dict) or not value:
            message = "must be a table of name = number, e.g. { s = 0.5 }"
            self.note(self.fail("graph.inputs", message))
            return None
        return [
            (
                self.attempt(self.identifier, key, f"graph.inputs.{key}", expr),
                self.attempt(self.number, number, f"graph.inputs.{key}"),
            )
            for key, number in value.items()
        ]

    def graph_nodes(self, entries: list, names: list, inputs: list | None, expr):
        """[[name, text, tree]], each None where unknown; `names` (the inputs') gets the nodes'."""
        defined = [n for n in names if n is not None]  # the inputs, then each node in turn
        nodes = []
        for index, table in enumerate(entries, start=1):
            where = f"graph.nodes[{index}]"
            node = self.table(table, where, ("name", "expr"))
            node_name = text = None
            if node is not None and "name" in node:
                node_name = self.attempt(self.identifier, node["name"], f"{where}.name", expr)
                if node_name is not None and node_name in names:
                    self.note(self.fail(f"{where}.name", f"'{node_name}' is already defined"))
                if node_name is not None:
                    names.append(node_name)
            if node is not None and "expr" in node:
                text = self.attempt(self.string, node["expr"], f"{where}.expr")
            nodes.append([node_name, text, None])
        # Each node's expression, read, and its names: defined earlier, later (an order or a
        # cycle), or not at all (said only when every name is valid: it might mean a broken one).
        every_name = (
            inputs is not None
            and None not in names
            and all(name is not None for name, _, _ in nodes)
        )
        texts = {name: text for name, text, _ in nodes if name is not None and text is not None}
        for index, node in enumerate(nodes, start=1):
            node_name, text = node[0], node[1]
            where = f"graph.nodes[{index}].expr"
            if text is not None:
                try:
                    node[2] = expr.parse(text)
                except expr.ExprError as error:
                    self.note(self.fail(where, f"cannot read '{text}': {error}"))
            if node[2] is not None:
                later = [p for p in expr.names_in(node[2]) if p not in defined and p in names]
                unknown = [p for p in expr.names_in(node[2]) if p not in names]
                if unknown and every_name:
                    word = "name" if len(unknown) == 1 else "names"
                    message = f"unknown {word} {_names(unknown)} (defined: {', '.join(defined)})"
                    self.note(self.fail(where, message))
                if later:
                    loop = _cycle(node_name, texts, expr) if node_name is not None else None
                    message = (
                        f"cycle: {' → '.join(loop)}"
                        if loop
                        else f"uses '{later[0]}' before it is defined (nodes are computed in order)"
                    )
                    self.note(self.fail(where, message))
                if unknown or later:
                    node[2] = None
            if node_name is not None:
                defined.append(node_name)
        return nodes

    def identifier(self, value: object, where: str, expr) -> str:
        value = self.string(value, where)
        if not re.fullmatch(NAME, value):
            raise self.fail(
                where, f"'{value}' is not a name (letters, digits and _, not starting with a digit)"
            )
        if value in expr.FUNCTIONS:
            raise self.fail(where, f"'{value}' is the name of a function")
        return value

    def evaluable(self, inputs: list, nodes: list, expr) -> list[GraphNode] | None:
        """Every value and every local derivative must exist at the given inputs: each node is
        worked out when the values it uses are known, so a bad node does not hide another."""
        values = {name: value for name, value in inputs if name is not None and value is not None}
        built: list[GraphNode] | None = []
        for index, (name, text, tree) in enumerate(nodes, start=1):
            parents = () if tree is None else expr.names_in(tree)
            if tree is None or name is None or not all(p in values for p in parents):
                built = None
                continue
            where = f"graph.nodes[{index}].expr"
            try:
                value = expr.evaluate(tree, values)
            except expr.ExprError as error:
                self.note(self.fail(where, f"{error} at the given inputs"))
                built = None
                continue
            for parent in parents:
                try:
                    expr.evaluate(expr.derivative(tree, parent), values)
                except expr.ExprError as error:
                    message = f"∂{name}/∂{parent}: {error} at the given inputs"
                    self.note(self.fail(where, message))
                    built = None
            values[name] = value
            if built is not None:
                built.append(GraphNode(name, text, tree, parents))
        return built


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
