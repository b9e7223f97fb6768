"""`bptui check`: every kind of bad lesson gets exit 2 and a message that says what and where."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bptui.cli import main

from .conftest import LECTURE, SMALL
from .test_course import CASE_2


def run_check(capsys, *paths):
    code = main(["check", *paths])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_shipped_lesson_is_valid(capsys):
    code, out = run_check(capsys, str(LECTURE), "lecture-example")
    assert code == 0
    assert out.count("✓") == 2


BAD = {
    "toml syntax": (
        SMALL.replace('loss = "squared_error"', "loss = squared_error"),
        ["lesson.toml:13:", "not valid TOML", "column 8"],
    ),
    "missing section": (SMALL.split("[training]")[0], ["lesson", "missing key 'training'"]),
    "missing key": (
        SMALL.replace("biases = [0]\n", ""),
        ["network.layers[2]", "missing key 'biases'", "lesson.toml:8:"],
    ),
    "unknown key": (
        SMALL.replace(
            'activation = "sigmoid"\nweights = [[2',
            'activaton = "sigmoid"\nactivation = "sigmoid"\nweights = [[2',
        ),
        ["network.layers[2]", "unknown key 'activaton'"],
    ),
    "weights wider than the layer before": (
        SMALL.replace("weights = [[2, -1]]", "weights = [[2, -1, 3]]"),
        ["network.layers[2].weights[1]", "has 3 numbers", "needs 2", "lesson.toml:10:"],
    ),
    "biases vs rows": (
        SMALL.replace("biases = [1, 0]", "biases = [1]"),
        ["network.layers[1].biases", "has 1 number,", "one per row"],
    ),
    "sample x size": (
        SMALL.replace("x = [1, -1]", "x = [1]"),
        ["training.samples[1].x", "needs 2"],
    ),
    "target size": (
        SMALL.replace("target = [1]", "target = [1, 0]"),
        ["training.samples[1].target", "needs 1"],
    ),
    "unknown activation": (
        SMALL.replace('activation = "sigmoid"', 'activation = "swish"', 1),
        [
            "network.layers[1].activation",
            "unknown activation 'swish'",
            "sigmoid, tanh, relu, linear, softmax",
        ],
    ),
    "unknown loss": (
        SMALL.replace('"squared_error"', '"hinge"'),
        ["training.loss", "unknown loss 'hinge'", "squared_error, cross_entropy"],
    ),
    "softmax in a hidden layer": (
        SMALL.replace('activation = "sigmoid"', 'activation = "softmax"', 1),
        ["network.layers[1].activation", "only on the output layer"],
    ),
    "softmax with squared error": (
        SMALL.replace(
            'activation = "sigmoid"\nweights = [[2', 'activation = "softmax"\nweights = [[2'
        ),
        ["training.loss", "softmax output layer goes with cross_entropy"],
    ),
    "cross entropy without softmax": (
        SMALL.replace('"squared_error"', '"cross_entropy"'),
        ["network.layers[2].activation", "cross_entropy needs a softmax"],
    ),
    "not finite": (
        SMALL.replace("biases = [0]", "biases = [nan]"),
        ["network.layers[2].biases[1]", "finite"],
    ),
    "infinite": (
        SMALL.replace("x = [1, -1]", "x = [inf, -1]"),
        ["training.samples[1].x[1]", "finite"],
    ),
    "wrong type": (
        SMALL.replace("biases = [1, 0]", 'biases = [1, "0"]'),
        ["network.layers[1].biases[2]", "must be a number, not a string"],
    ),
    "boolean is not a number": (
        SMALL.replace("x = [1, -1]", "x = [true, -1]"),
        ["training.samples[1].x[1]", "not a boolean"],
    ),
    "title type": (SMALL.replace('title = "Small"', "title = 3"), ["title", "must be a string"]),
    "learning rate zero": (
        SMALL.replace("learning_rate = 0.5", "learning_rate = 0"),
        ["training.learning_rate", "positive number"],
    ),
    "learning rate negative": (
        SMALL.replace("learning_rate = 0.5", "learning_rate = -1"),
        ["training.learning_rate", "positive"],
    ),
    "learning rate string": (
        SMALL.replace("learning_rate = 0.5", 'learning_rate = "fast"'),
        ["training.learning_rate", "must be a number"],
    ),
    "no samples": (
        SMALL.split("[[training.samples]]")[0] + "samples = []\n",
        ["training.samples", "at least one"],
    ),
    "no layers": (
        SMALL.split("[[network.layers]]")[0].replace(
            'inputs = ["x1", "x2"]', 'inputs = ["x1", "x2"]\nlayers = []'
        )
        + SMALL[SMALL.index("[training]") :],
        ["network.layers", "at least one"],
    ),
    "huge number": (
        SMALL.replace("biases = [0]", "biases = [1e300]"),
        ["network.layers[2].biases[1]", "too large"],
    ),
    "decimals": (SMALL + "[display]\ndecimals = 9\n", ["display.decimals", "0 to 6"]),
    "unknown phase": (
        SMALL + '[tutor]\nask = ["forwards"]\n',
        ["tutor.ask[1]", "unknown phase 'forwards'"],
    ),
    "duplicate inputs": (SMALL.replace('["x1", "x2"]', '["x", "x"]'), ["network.inputs", "unique"]),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_lesson_is_refused_with_a_located_message(case, write, capsys):
    text, expected = BAD[case]
    code, out = run_check(capsys, write(text))
    assert code == 2, out
    for part in expected:
        assert part in out, (part, out)
    assert "Traceback" not in out
    assert out.count("\n") == 1 and out.startswith("✗ "), out  # one mistake: one message


def test_cross_entropy_targets_must_be_a_distribution(write, capsys):
    text = SMALL.replace('"squared_error"', '"cross_entropy"').replace(
        'activation = "sigmoid"\nweights = [[2, -1]]\nbiases = [0]',
        'activation = "softmax"\nweights = [[2, -1], [1, 1]]\nbiases = [0, 0]',
    )
    code, out = run_check(capsys, write(text.replace("target = [1]", "target = [0.5, 0.2]")))
    assert code == 2 and "training.samples[1].target" in out and "distribution" in out
    code, out = run_check(capsys, write(text.replace("target = [1]", "target = [0.25, 0.75]")))
    assert code == 0, out


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", "is empty"),
        ("   \n\n", "is empty"),
        (b'title = "caf\xe9"\n', "is not UTF-8"),
        ("x" * (64 * 1024 + 1), "larger than 64 KiB"),
    ],
    ids=["empty", "blank", "latin-1", "too large"],
)
def test_unreadable_files_are_refused(content, expected, write, capsys):
    code, out = run_check(capsys, write(content))
    assert code == 2 and expected in out


def test_directory_and_missing_file(tmp_path, capsys):
    code, out = run_check(capsys, str(tmp_path))
    assert code == 2 and "is a directory" in out
    code, out = run_check(capsys, str(tmp_path / "nope.toml"))
    assert code == 2 and "no such file" in out
    code, out = run_check(capsys, "no-such-shipped-lesson")
    assert code == 2 and "lecture-example" in out  # lists the shipped lessons


def test_one_bad_lesson_among_good_ones_fails_the_run(write, capsys):
    code, out = run_check(capsys, str(LECTURE), write("title = 1\n"))
    assert code == 2 and "✓" in out and "✗" in out


def test_key_gives_the_same_error_as_check(write, capsys):
    path = write(SMALL.replace("x = [1, -1]", "x = [1]"))
    _, from_check = run_check(capsys, path)
    assert main(["key", path]) == 2
    from_key = capsys.readouterr().err
    assert from_check.removeprefix("✗ ").strip() == from_key.removeprefix("bptui: ").strip()


def test_no_traceback_from_the_real_command(write):
    path = write(b"\xff\xfe garbage")
    result = subprocess.run(
        [sys.executable, "-m", "bptui", "check", path], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "UTF-8" in result.stderr


@pytest.mark.parametrize(
    "argv",
    [[], ["lecture-example"], ["lecture-example", "--lang", "zh"], ["--restart", "x.toml"],
     ["--lang", "en"], ["lecture-example", "--autoplay", "2"], ["--lang=zh", "a"], ["a", "b"],
     ["--lang", "fr"], ["--help"]],
)  # fmt: skip
def test_the_quick_tutor_parser_reads_what_argparse_reads(argv):
    from bptui.cli import quick_tutor_args, tutor_parser

    quick = quick_tutor_args(argv)
    if quick is None:  # left to argparse: options it alone knows, and every mistake
        return
    full = tutor_parser().parse_args(argv)
    for name in ("lesson", "lang", "autoplay", "answers", "restart"):
        assert getattr(quick, name) == getattr(full, name), name


def test_the_quick_tutor_parser_leaves_the_rest_to_argparse():
    from bptui.cli import quick_tutor_args

    assert quick_tutor_args(["a", "b"]) is None
    assert quick_tutor_args(["--lang", "fr"]) is None
    assert quick_tutor_args(["--autoplay", "2", "a"]) is None
    assert quick_tutor_args(["--help"]) is None
    assert quick_tutor_args(["a", "--lang", "zh", "--restart"]).lang == "zh"


# --- every error of a file in one run (issue 11, item 4) -----------------------------------------

FIVE = (
    SMALL.replace('activation = "sigmoid"', 'activation = "swish"', 1)  # line 5
    .replace("biases = [1, 0]", "biases = [1]")  # line 7
    .replace(
        'activation = "sigmoid"\nweights = [[2',
        'activaton = "sigmoid"\nactivation = "sigmoid"\nweights = [[2',  # line 9
    )
    .replace("learning_rate = 0.5", "learning_rate = -0.5")  # line 15
    .replace("x = [1, -1]", 'x = [1, "-1"]')  # line 17
)
FIVE_PROBLEMS = [
    ":5: network.layers[1].activation: unknown activation 'swish' (valid: sigmoid, tanh, relu, "
    "linear, softmax)",
    ":7: network.layers[1].biases: has 1 number, but needs 2 (one per row of weights)",
    ":9: network.layers[2]: unknown key 'activaton' (expected: activation, weights, biases)",
    ":15: training.learning_rate: must be a positive number, not -0.5",
    ":17: training.samples[1].x[2]: must be a number, not a string",
]


def test_a_file_with_five_errors_lists_all_five_in_one_run(write, capsys):
    path = write(FIVE)
    code, out = run_check(capsys, path)
    assert code == 2
    assert out.splitlines() == [f"✗ {path}: 5 errors"] + [f"  {path}{p}" for p in FIVE_PROBLEMS]


def test_each_error_is_listed_under_its_file_then_the_next_file(write, capsys):
    first = write(FIVE, name="first.toml")
    second = write(SMALL.replace('title = "Small"', "title = 3"), name="second.toml")
    code = main(["check", first, str(LECTURE), second])
    captured = capsys.readouterr()
    assert code == 2 and captured.out.count("✓") == 1
    lines = captured.err.splitlines()
    assert lines[0] == f"✗ {first}: 5 errors" and all(
        x.startswith(f"  {first}:") for x in lines[1:6]
    )
    assert lines[6:] == [f"✗ {second}:1: title: must be a string, not a number"]


def test_key_and_the_exception_give_the_same_list(write, capsys):
    from bptui.lesson import LessonError, load

    path = write(FIVE)
    _, from_check = run_check(capsys, path)
    assert main(["key", path]) == 2
    assert capsys.readouterr().err == "bptui: " + from_check.removeprefix("✗ ")
    with pytest.raises(LessonError) as caught:
        load(path)
    error = caught.value
    assert [p.located() for p in error.problems] == [path + p for p in FIVE_PROBLEMS]
    assert str(error).splitlines()[0] == f"{path}: 5 errors"
    assert str(error).splitlines()[1:] == [f"  {path}{p}" for p in FIVE_PROBLEMS]


def test_a_single_error_reads_as_before(write):
    from bptui.lesson import LessonError, load

    path = write(SMALL.replace('"squared_error"', '"hinge"'))
    with pytest.raises(LessonError) as caught:
        load(path)
    error = caught.value
    expected = (
        f"{path}:13: training.loss: unknown loss 'hinge' (valid: squared_error, cross_entropy)"
    )
    assert str(error) == expected and error.problems == [error]
    assert (error.where, error.line) == ("training.loss", 13)


def test_errors_are_never_cached(write):
    from bptui.lesson import LessonError, load

    path = write(FIVE)
    for _ in range(2):  # the second load would come from the cache if a broken file were kept
        with pytest.raises(LessonError) as caught:
            load(path)
        assert len(caught.value.problems) == 5
    Path(path).write_text(SMALL, encoding="utf-8")
    assert load(path).title == "Small"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (SMALL.replace("biases = [1, 0]", "biases = [1]"), "has 1 number, but needs 2"),
        (SMALL.replace("biases = [1, 0]", "biases = [1, 0, 2]"), "has 3 numbers, but needs 2"),
        (SMALL.replace("x = [1, -1]", "x = []"), "has 0 numbers, but needs 2"),
        (
            SMALL.replace("weights = [[2, -1]]", "weights = [[2]]"),
            "has 1 number, but needs 2 (one per unit of the layer before)",
        ),
        (
            SMALL.replace("weights = [[1, -2], [-1, 1]]", "weights = [[1, -2, 3], [-1, 1, 0]]"),
            "network.layers[1].weights: each row has 3 numbers, but needs 2 (one per input of",
        ),
        (
            SMALL.replace('inputs = ["x1", "x2"]', 'inputs = ["x1"]'),
            "each row has 2 numbers, but needs 1 (one per input of the network)",
        ),
        (
            SMALL.replace("target = [1]", "target = [1, 0]"),
            "has 2 numbers, but needs 1 (one per neuron of the output layer)",
        ),
        (SMALL.replace("[[2, -1]]", "[" + "[2, -1], " * 9 + "]"), "has 9 rows of weights; a layer"),
        (SMALL.replace("[[2, -1]]", "[]"), "network.layers[2].weights: needs at least one row of"),
        (SMALL.split("[[training.samples]]")[0] + "samples = []\n", "needs at least one sample"),
        (SMALL.replace('["x1", "x2"]', '["x", "x"]'), "'x' is given more than once"),
        (SMALL.replace('["x1", "x2"]', '["x", "y", "x", "y"]'), "'x' and 'y' are given more"),
        (CASE_2.replace('expr = "s^2"', 'expr = "q"'), "unknown name 'q' (defined: s)"),
        (CASE_2.replace('expr = "s^2"', 'expr = "q*r"'), "unknown names 'q' and 'r' (defined:"),
        (SMALL.replace("learning_rate = 0.5", "learning_rate = 2024-01-01"), "not a date"),
        ('title = "t"\n', "lesson: missing keys 'network' and 'training'"),
        ("a = 1\n", "lesson: missing keys 'title', 'network' and 'training'"),
        (SMALL.replace("biases = [0]\n", ""), "network.layers[2]: missing key 'biases'"),
    ],
)
def test_messages_agree_in_number(text, expected, write, capsys):
    code, out = run_check(capsys, write(text))
    assert code == 2 and expected in out, out


SLIPS = [  # a count and a noun that disagree, or a plural subject with a singular verb
    r"\b1 (number|unit|neuron|row|layer|sample|input|node|name|error)s\b",
    r"\b(0|[2-9]|\d\d+) (number|unit|neuron|row|layer|sample|input|node|name|error)\b",
    r"\b(neurons|inputs|rows|units) needs\b",
    r"at least one of",
]


def test_no_message_slips_in_number(write, capsys):
    import re

    texts = [text for text, _ in BAD.values()] + [FIVE, "a = 1\n"]
    texts += [
        SMALL.replace("x = [1, -1]", f"x = {xs}").replace("target = [1]", f"target = {ys}")
        for xs in ("[1]", "[1, 2, 3]", "[]")
        for ys in ("[]", "[1, 2]")
    ]
    for text in texts:
        _, out = run_check(capsys, write(text))
        for slip in SLIPS:
            assert not re.search(slip, out), (slip, out)


def test_a_structural_error_is_said_once(write, capsys):
    """What depends on a broken part is not checked against it: one mistake, one message."""
    flat = SMALL.replace("weights = [[1, -2], [-1, 1]]", "weights = [1, -2]")
    cases = {
        # layer 1's weights are not rows: its biases and layer 2's rows cannot be measured
        flat: "network.layers[1].weights: must be a list of rows",
        SMALL.replace("weights = [[1, -2], [-1, 1]]", 'weights = "w"'): "must be a list of rows",
        # layer 1 has 3 rows but 2 biases: how wide it is is unclear, so layer 2 is not checked
        SMALL.replace("[[1, -2], [-1, 1]]", "[[1, -2], [-1, 1], [0, 1]]"): "needs 3 (one per row",
        # no network at all: the samples' x and target are not measured against it
        SMALL.split("[network]")[0] + SMALL[SMALL.index("[training]") :]: "missing key 'network'",
        SMALL.replace("layers]]\nactivation", "layerz]]\nactivation", 1): "unknown key 'layerz'",
        # a node that cannot be read: the node using it is neither unknown nor worked out
        CASE_2.replace('expr = "s^2"', 'expr = "s ^^ 2"'): "graph.nodes[1].expr: cannot read",
        # a node without a name: nothing is said to be unknown, the output is not judged
        CASE_2.replace('name = "z"\n', ""): "graph.nodes[3]: missing key 'name'",
        CASE_2.replace('name = "x"', 'name = "1x"'): "'1x' is not a name",
        # an input that is not a number: the nodes worked from it are not evaluated
        CASE_2.replace("s = 0.5", 's = "half"'): "graph.inputs.s: must be a number",
        # a node that cannot be worked out at the inputs: the nodes using it are not either
        CASE_2.replace('expr = "s^2"', 'expr = "1 / (s - 0.5)"'): "division by zero at the given",
        SMALL.replace('loss = "squared_error"', "loss = squared_error"): "not valid TOML",
    }
    for text, message in cases.items():
        code, out = run_check(capsys, write(text))
        assert code == 2 and message in out and out.count("\n") == 1, out


def test_a_structural_error_does_not_hide_unrelated_ones(write, capsys):
    text = (
        SMALL.replace("weights = [[1, -2], [-1, 1]]", "weights = [1, -2]")
        .replace('title = "Small"', 'title = ""')
        .replace("learning_rate = 0.5", 'learning_rate = "fast"')
        .replace("x = [1, -1]", "x = [1, nan]")
    )
    code, out = run_check(capsys, write(text))
    assert code == 2 and "4 errors" in out.splitlines()[0]
    for where in ("title", "network.layers[1].weights", "learning_rate", "samples[1].x[2]"):
        assert where in out
    graph = (
        CASE_2.replace('expr = "s^2"', 'expr = "s ^^ 2"')  # node 1: unreadable
        .replace('expr = "exp(s)"', 'expr = "log(s - 1)"')  # node 2: independent of node 1
        .replace('output = "z"', 'output = "w"')
    )
    code, out = run_check(capsys, write(graph))
    lines = out.splitlines()
    assert code == 2 and "3 errors" in lines[0], out
    assert ":4: graph.output: 'w' is not a node" in lines[1]
    assert ":7: graph.nodes[1].expr: cannot read 's ^^ 2'" in lines[2]
    assert ":10: graph.nodes[2].expr:" in lines[3] and "at the given inputs" in lines[3]


def test_every_key_problem_is_its_own_line(write, capsys):
    text = SMALL.replace("biases = [0]\n", "").replace(
        "[training]", '[training]\nrate = 1\n"odd key" = 2'
    )
    code, out = run_check(capsys, write("speed = 3\n" + text))
    lines = out.splitlines()
    assert code == 2 and "4 errors" in lines[0], out
    assert lines[1].endswith(":1: lesson: unknown key 'speed' (expected: title, network, "
                             "training, summary, display, tutor, narration)")  # fmt: skip
    assert lines[2].endswith(":9: network.layers[2]: missing key 'biases'")
    assert ":12: training: unknown key 'odd key'" in lines[3]  # not written bare: the table's line
    assert lines[4].endswith(":13: training: unknown key 'rate' (expected: loss, learning_rate, "
                             "samples)")  # fmt: skip


def test_range_checks_only_run_on_a_file_that_validated(write, capsys):
    overflow = (
        'title = "overflow"\n[graph]\ninputs = { s = 1e-300 }\noutput = "y"\n'
        '[[graph.nodes]]\nname = "x"\nexpr = "s^0.5"\n[[graph.nodes]]\nname = "y"\n'
        'expr = "x * 1e300"\n'
    )
    code, out = run_check(capsys, write(overflow))
    assert code == 2 and "graph.nodes[2].expr" in out and "not finite" in out
    code, out = run_check(capsys, write(overflow.replace('"overflow"', "3")))
    assert code == 2 and "title: must be a string" in out and "not finite" not in out


def test_a_flood_of_errors_is_cut_short(write, capsys):
    from bptui.lesson import MAX_PROBLEMS

    text = SMALL.replace("x = [1, -1]", "x = [" + ", ".join(['"a"'] * 80) + "]")
    code, out = run_check(capsys, write(text))
    lines = out.splitlines()
    assert code == 2 and f"more than {MAX_PROBLEMS} errors; the first {MAX_PROBLEMS}:" in lines[0]
    assert len(lines) == 1 + MAX_PROBLEMS
    assert "training.samples[1].x: has 80 numbers, but needs 2" in lines[1]
    assert "training.samples[1].x[1]: must be a number, not a string" in lines[2]


def test_a_newline_in_a_key_does_not_start_a_line_of_its_own(write, capsys):
    text = SMALL.replace("[training]", '[training]\n"a\\nb" = 1').replace("x = [1, -1]", "x = [1]")
    code, out = run_check(capsys, write(text))
    assert code == 2 and len(out.splitlines()) == 3 and "unknown key 'a b'" in out, out


def test_checking_every_shipped_lesson_takes_well_under_a_second():
    """Validation itself is cheap: the one-second budget of `check` is for the engine."""
    import time

    from bptui.lesson import parse, shipped_lessons

    texts = [(p.read_text(encoding="utf-8"), str(p)) for p in shipped_lessons()]
    started = time.process_time()
    for text, source in texts:
        parse(text, source)
    assert time.process_time() - started < 0.25
