"""Bad input gets a clear answer: no traceback, no hang, no lost answer (issue 12's reproducers)."""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from bptui import steps
from bptui.cli import main
from bptui.lesson import load
from bptui.progress import Store, data_dir
from bptui.session import Session

from .conftest import LECTURE, SMALL
from .tui_helpers import lecture_app, ready

ROOT = Path(__file__).resolve().parent.parent


def make(lesson) -> Session:
    return Session(lesson, steps.build(lesson), Store.of(lesson))


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


# --- 1. one reader: regular files only, the limit enforced while reading --------------------


@pytest.mark.parametrize("spec", ["/dev/zero", "/dev/null", "fifo", "folder", "socket"])
def test_devices_fifos_sockets_and_folders_are_refused_at_once(spec, tmp_path, capsys):
    if spec == "fifo":
        os.mkfifo(tmp_path / "f.toml")
        spec = str(tmp_path / "f.toml")
    elif spec == "folder":
        spec = str(tmp_path)
    elif spec == "socket":
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(str(tmp_path / "s.toml"))
        spec = str(tmp_path / "s.toml")
    started = time.monotonic()
    code, _, err = run(capsys, "check", spec)
    assert code == 2 and time.monotonic() - started < 1
    assert "not a lesson file" in err and "Traceback" not in err


def test_an_answers_file_naming_a_device_as_its_lesson_is_refused(write, capsys):
    path = write('lesson = "/dev/zero"\n[answers]\n', name="a.toml")
    code, _, err = run(capsys, "replay", "lecture-example", path)
    assert code == 2 and "names lesson '/dev/zero': is a character device" in err


def test_a_symlink_to_a_device_in_a_class_folder_is_refused(tmp_path, capsys):
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "evil.toml").symlink_to("/dev/zero")
    code, _, err = run(capsys, "replay", "lecture-example", str(folder))
    assert code == 2 and "evil.toml: is a character device, not an answers file" in err


def test_size_limits_are_each_files_own(write, capsys):
    big_answers = write("[answers]\n" + "# padding\n" * 10_000, name="big.toml")  # ~100 KiB
    assert Path(big_answers).stat().st_size > 64 * 1024
    code, _, err = run(capsys, "replay", "lecture-example", big_answers, "--json")
    assert code == 0, err
    big_lesson = write(SMALL + "# padding\n" * 10_000, name="lesson.toml")
    code, _, err = run(capsys, "check", big_lesson)
    assert code == 2 and "larger than 64 KiB, the most a lesson file may be" in err


def test_a_byte_order_mark_is_accepted(write, capsys):
    path = write(b"\xef\xbb\xbf" + SMALL.encode(), name="bom.toml")
    assert run(capsys, "check", path)[0] == 0


# --- 2. one numeric policy: what check accepts, everything handles ---------------------------


def test_a_saturated_sigmoid_is_handled_everywhere(write, capsys):
    path = write(SMALL.replace("weights = [[1, -2], [-1, 1]]", "weights = [[800, 0], [-1, 1]]"))
    assert run(capsys, "check", path)[0] == 0  # z = 801: exp(−801) underflows, no overflow
    path = write(SMALL.replace("weights = [[1, -2], [-1, 1]]", "weights = [[-800, 0], [-1, 1]]"))
    code, out, err = run(capsys, "key", path, "--json")
    assert code == 0 and "Infinity" not in out and "NaN" not in out, err
    json.loads(out)
    session = Session(load(path), steps.build(load(path)))
    session.hint()
    assert session.hint()  # the worked hint of a saturated sigmoid: no OverflowError


def test_an_overflowing_chain_is_refused_with_its_place(write, capsys):
    path = write(OVERFLOW)
    for command in (["check", path], ["key", path, "--json"]):
        code, out, err = run(capsys, *command)
        assert code == 2 and "Infinity" not in out
        assert "graph.nodes[2].expr" in err and "not finite" in err


# --- 5. tracebacks that were: deep TOML, huge integers, one bad file among many ---------------


def test_deep_toml_and_huge_integers_get_messages(write, capsys):
    deep = write("a = " + "[" * 600 + "]" * 600 + "\n", name="deep.toml")
    huge = write(SMALL.replace("biases = [0]", "biases = [" + "9" * 400 + "]"), name="huge.toml")
    code, out, err = run(capsys, "check", deep, str(LECTURE), huge)
    assert code == 2
    assert "deep.toml: not valid TOML: nested too deeply" in err
    assert "network.layers[2].biases[1]: is too large" in err
    assert "✓" in out  # the good file between them was still checked


def test_the_transcript_shows_an_answer_with_markup_as_typed(write, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    path = write('[answers]\n"s1.forward.L1.n1.z" = "[/]"\n"s1.forward.L1.n1.a" = "[b]x"\n')
    code, out, err = run(capsys, "replay", "lecture-example", path)
    assert code == 0 and "[/]" in out and "[b]x" in out, err


# --- 8. terminal escapes ----------------------------------------------------------------------


def test_control_characters_never_reach_the_terminal(write, capsys):
    evil = SMALL.replace('title = "Small"', 'title = "\\u001b]0;owned\\u0007\\u001b[2JSmall"')
    evil = evil.replace('inputs = ["x1", "x2"]', 'inputs = ["x\\u001b[31m1", "x2"]')
    path = write(evil)
    for command in (["check", path], ["key", path]):
        code, out, err = run(capsys, *command)
        assert code == 0 and "\x1b" not in out + err and "\x07" not in out + err
        assert "Small" in out
    bad = write(evil.replace("[training]", '[training]\n"\\u001b[2J" = 1'), name="bad.toml")
    code, _, err = run(capsys, "check", bad)
    assert code == 2 and "\x1b" not in err and "unknown key" in err


def test_markup_in_a_title_is_shown_as_written():
    from textual.content import Content

    from bptui.tui import texts

    for title in ("ends in a backslash \\", "[b]bold?[/b]", "a \\[$accent] b"):
        bar = texts.topbar(title, "step 1/2", 80)
        assert Content.from_markup(bar).plain.replace("\u200b", "").startswith(title)


# --- 3, 9. progress: checked field by field, its paths never trusted, private ----------------

CORRUPT = {
    "huge position": lambda d: d | {"position": 1e400},
    "infinite position": lambda d: json.dumps(d | {"position": 0}).replace(
        '"position": 0', '"position": Infinity'
    ),
    "infinite total": lambda d: json.dumps(d).replace('"total": 67', '"total": Infinity'),
    "deep": lambda d: "[" * 100_000 + "]" * 100_000,
    "verdicts not a list": lambda d: (
        d | {"records": {"s1.forward.L1.n1.z": {"answers": ["4"], "verdicts": 5}}}
    ),
    "negative hints": lambda d: d | {"records": {"s1.forward.L1.n1.z": {"hints": -5}}},
    "a string for a flag": lambda d: d | {"records": {"s1.forward.L1.n1.z": {"revealed": "yes"}}},
}


@pytest.mark.parametrize("case", sorted(CORRUPT))
def test_corrupt_progress_is_set_aside_and_the_lesson_goes_on(case, lecture):
    store = Store.of(lecture)
    session = Session(lecture, steps.build(lecture), store)
    session.answer("4")
    data = json.loads(store.path.read_text(encoding="utf-8"))
    corrupt = CORRUPT[case](data)
    store.path.write_text(corrupt if isinstance(corrupt, str) else json.dumps(corrupt))
    again = make(lecture)
    assert "set aside" in again.notice and again.position == 0
    again.hint()
    again.answer("4")  # and it saves afresh
    assert list(store.path.parent.glob("*.unreadable-*.json"))


async def test_the_tutor_starts_on_corrupt_progress_and_f2_works(lecture):
    store = Store.of(lecture)
    store.path.parent.mkdir(parents=True)
    store.path.write_text('{"format": 1, "records": {"x": {"hints": -5}}, "position": 1e400}')
    app = lecture_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        await pilot.press("f2")
        assert "Hint 1" in str(screen.query_one("#card").render())


def test_the_attempt_path_in_a_progress_file_is_never_followed(lecture, tmp_path):
    target = tmp_path / "victim.txt"
    target.write_text("keep me\n")
    store = Store.of(lecture)
    session = Session(lecture, steps.build(lecture), store)
    session.answer("4")
    data = json.loads(store.path.read_text(encoding="utf-8"))
    store.path.write_text(json.dumps(data | {"attempt": str(target)}))
    again = make(lecture)
    again.go(1)
    again.answer("0.98")
    assert target.read_text() == "keep me\n"
    assert again.store.attempt_path(again.progress).parent == data_dir() / "attempts"


def test_progress_and_attempts_are_private(lecture):
    session = make(lecture)
    session.answer("4")
    files = [session.store.path, session.store.attempt_path(session.progress)]
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    for folder in (data_dir(), data_dir() / "progress", data_dir() / "attempts"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


def test_screenshots_do_not_follow_a_symlink(write, tmp_path, capsys):
    shots = tmp_path / "shots"
    shots.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    (shots / "a-001-s1.forward.L1.n1.z.svg").symlink_to(victim)
    path = write('[answers]\n"s1.forward.L1.n1.z" = "4"\n', name="a.toml")
    command = ["replay", "lecture-example", path, "--tui", "--screenshots", str(shots)]
    code, _, err = run(capsys, *command)
    assert code == 2 and victim.read_text() == "keep me\n"
    assert "symbolic links" in err


# --- 4. two tutors on one lesson --------------------------------------------------------------

TUTOR = """
import sys, time
from pathlib import Path
from bptui import steps
from bptui.lesson import load
from bptui.progress import Store
from bptui.session import Session

lesson = load("lecture-example")
session = Session(lesson, steps.build(lesson), Store.of(lesson))
go, me = Path(sys.argv[1]), sys.argv[2]
first, second = (0, 1) if me == "A" else (2, 3)
answers = ["4", "0.98", "-2", "0.12"]
while not (go / f"{me}-go").exists():
    time.sleep(0.01)
for index in (first, second):
    session.go(index)
    session.answer(answers[index])
    (go / f"{me}-{index}").touch()
    while me == "A" and index == first and not (go / "B-2").exists():
        time.sleep(0.01)  # interleave: A answers, B answers, A answers, B answers
"""


def test_two_tutors_on_one_lesson_keep_every_answer(tmp_path):
    script = tmp_path / "tutor.py"
    script.write_text(TUTOR)
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    tutors = [
        subprocess.Popen([sys.executable, str(script), str(tmp_path), me], env=env, cwd=ROOT)
        for me in ("A", "B")
    ]
    time.sleep(1.0)  # both have loaded the same (empty) progress
    (tmp_path / "A-go").touch()
    (tmp_path / "B-go").touch()
    for tutor in tutors:
        assert tutor.wait(timeout=60) == 0
    lesson = load("lecture-example")
    session = Session(lesson, steps.build(lesson), Store.of(lesson))
    done = [s.id for s in session.steps if session.done(s)]
    assert done == [s.id for s in session.steps[:4]], done  # all four answers kept
    assert session.score().first_try == 4


# --- 7. focus after the terminal was too small -----------------------------------------------


async def test_typing_works_after_the_terminal_was_briefly_too_small():
    app = lecture_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        await pilot.resize_terminal(79, 30)
        await pilot.pause()
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        await pilot.press("4", "enter")
        await pilot.pause()
        assert screen.session.position == 1


def test_the_fuzz_script_runs(tmp_path):
    """The fuzz script of benchmarks/ on a few cases (its full run is in the README)."""
    result = subprocess.run(
        [sys.executable, ROOT / "benchmarks" / "fuzz_files.py", "--cases", "40", "--seed", "3"],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
        env=os.environ | {"PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 tracebacks, 0 timeouts" in result.stdout


_ = textwrap  # dedent is the `write` fixture's


OVERFLOW = """
title = "overflow"
[graph]
inputs = { s = 1e-300 }
output = "y"
[[graph.nodes]]
name = "x"
expr = "s^0.5"
[[graph.nodes]]
name = "y"
expr = "x * 1e300"
"""


async def test_the_tutor_refuses_a_lesson_out_of_range_with_checks_message(write):
    from bptui.tui.app import TutorApp

    app = TutorApp(load(write(OVERFLOW)), cursor_blink=False)
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(200):
            if app.error:
                break
            await pilot.pause(0.01)
    assert app.return_code == 2 and "graph.nodes[2].expr" in app.error
