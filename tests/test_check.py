"""`bptui check`: every kind of bad lesson gets exit 2 and a message that says what and where."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bptui.cli import main

from .conftest import LECTURE, SMALL


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
        ["network.layers[1].biases", "has 1 numbers", "one per row"],
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
