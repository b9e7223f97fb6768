"""`bptui replay`: headless grading, the error cases, the TUI replay, autoplay."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Input

from bptui import steps
from bptui.cli import main
from bptui.notation import shown_at
from bptui.progress import data_dir
from bptui.session import Session

from .conftest import LECTURE
from .tui_helpers import lecture_app, ready, typed_attempt, until_summary


def key_answers(lesson) -> dict[str, str]:
    return {s.id: s.shown for s in steps.asked(steps.build(lesson))}


def answers_file(
    write, answers: dict, lesson: str | None = "lecture-example", name="answers.toml"
) -> str:
    lines = [f"lesson = {json.dumps(lesson)}"] if lesson else []
    lines.append("[answers]")
    lines += [f"{json.dumps(k)} = {json.dumps(v, ensure_ascii=False)}" for k, v in answers.items()]
    return write("\n".join(lines) + "\n", name=name)


@pytest.fixture
def mixed(lecture, write):
    """Every step right but one wrong, one unparseable and one missing."""
    answers = key_answers(lecture)
    answers["s1.forward.L3.n1.z"] = "2.48"  # the bias forgotten
    answers["s1.loss"] = "0.4.2"
    del answers["s1.backward.L1.n2.sum"]
    return answers_file(write, answers)


def replay_json(capsys, *args):
    code = main(["replay", *args, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_replay_counts_right_wrong_unparseable_and_missing(mixed, capsys):
    code, data = replay_json(capsys, "lecture-example", mixed)
    assert code == 0
    assert data["steps"] == 67 and data["correct"] == 64
    assert data["wrong"] == ["s1.forward.L3.n1.z"]
    assert data["invalid"] == ["s1.loss"]
    assert data["unanswered"] == ["s1.backward.L1.n2.sum"]
    assert data["mistakes"] == {"s1.forward.L3.n1.z": "bias_forgotten"}


def test_strict_exits_1_unless_every_step_is_right(mixed, lecture, write, capsys):
    assert main(["replay", "lecture-example", mixed, "--strict"]) == 1
    perfect = answers_file(write, key_answers(lecture), name="perfect.toml")
    assert main(["replay", str(LECTURE), perfect, "--strict"]) == 0
    out = capsys.readouterr().out
    assert "67/67 right" in out


def test_numbers_and_arithmetic_are_answers_too(lecture, write, capsys):
    path = write('[answers]\n"s1.forward.L1.n1.z" = 4\n"s1.forward.L1.n1.a" = "1/(1+exp(-4))"\n')
    _, data = replay_json(capsys, "lecture-example", path)
    assert data["correct"] == 2 and len(data["unanswered"]) == 65


def test_transcript_names_the_mistake_and_the_true_value(mixed, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["replay", "lecture-example", mixed]) == 0
    out = capsys.readouterr().out
    assert "the bias was left out" in out
    assert "64/67 right · 1 wrong · 1 unreadable · 1 unanswered" in out


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('[answers]\n"s9.nowhere" = 1\n', "unknown step id 's9.nowhere'"),
        ("[answers\n", "not valid TOML"),
        ('lesson = "lecture-example"\n', "missing the [answers] table"),
        ('[answers]\n"s1.loss" = true\n', 'answers."s1.loss": must be a number or a string'),
        ('lesson = "no-such-lesson"\n[answers]\n', "names lesson 'no-such-lesson'"),
        ("wat = 1\n[answers]\n", "unknown key 'wat'"),
        ("", "is empty"),
    ],
)
def test_bad_answer_files_exit_2_with_a_message(content, expected, write, capsys):
    path = write(content)
    assert main(["replay", "lecture-example", path]) == 2
    err = capsys.readouterr().err
    assert expected in err and path in err and "Traceback" not in err


def test_answers_for_another_lesson_are_refused(write, capsys):
    other = write(
        LECTURE.read_text(encoding="utf-8").replace("biases = [1, 0]", "biases = [2, 0]"),
        name="other.toml",
    )
    path = answers_file(write, {}, lesson=other)
    assert main(["replay", "lecture-example", path]) == 2
    assert "these answers are for" in capsys.readouterr().err


def test_a_class_of_files_gives_one_row_each(lecture, mixed, write, tmp_path, capsys):
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "ann.toml").write_text(Path(mixed).read_text(encoding="utf-8"), encoding="utf-8")
    perfect = answers_file(write, key_answers(lecture), name="perfect.toml")
    (folder / "bob.toml").write_text(Path(perfect).read_text(encoding="utf-8"), encoding="utf-8")
    code, data = replay_json(capsys, "lecture-example", str(folder))
    assert code == 0 and [d["correct"] for d in data["files"]] == [64, 67]
    assert data["unusable"] == []
    assert main(["replay", "lecture-example", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "ann.toml" in out and "bob.toml" in out and "100%" in out


def test_the_tui_replay_agrees_with_the_headless_one_and_leaves_a_screenshot_per_step(
    mixed, tmp_path, capsys
):
    _, headless = replay_json(capsys, "lecture-example", mixed)
    shots = tmp_path / "shots"
    code, tui = replay_json(
        capsys, "lecture-example", mixed, "--tui", "--screenshots", str(shots), "--size", "100x30"
    )
    assert code == 0 and tui == headless
    svgs = sorted(shots.glob("*.svg"))
    assert len(svgs) == 67 and svgs[0].name == "answers-001-s1.forward.L1.n1.z.svg"
    assert "bias" in svgs[8].read_text(
        encoding="utf-8"
    )  # the wrong answer's diagnosis is on screen
    assert not (data_dir() / "progress").exists()  # a replay leaves the learner's progress alone


def test_bad_size_is_refused(mixed, capsys):
    assert main(["replay", "lecture-example", mixed, "--tui", "--size", "huge"]) == 2
    assert "COLUMNSxROWS" in capsys.readouterr().err


async def test_the_tutors_attempt_record_replays(capsys):
    record = await typed_attempt("4", "0.5", "0.98")
    code, data = replay_json(capsys, "lecture-example", str(record))
    assert code == 0 and data["correct"] == 1 and data["wrong"] == ["s1.forward.L1.n1.a"]
    # the same outcomes the tutor counted: the second step was right after a wrong try
    assert data["outcomes"]["s1.forward.L1.n1.z"] == "first_try"
    assert data["outcomes"]["s1.forward.L1.n1.a"] == "after_wrong"
    assert data["score"]["first_try"] == 1 and data["score"]["after_wrong"] == 1


def test_replay_gives_the_tutors_outcomes_and_every_diagnosis(write, capsys):
    path = write(
        """
        lesson = "lecture-example"
        revealed = ["s1.forward.L2.n1.z"]
        [answers]
        "s1.forward.L1.n1.z" = "4"
        "s1.forward.L1.n1.a" = "4"
        "s1.forward.L1.n2.z" = "-2"
        "s1.forward.L1.n2.a" = "0.1"
        "s1.backward.L2.n2.gain" = "0.10"
        "s1.forward.L3.n1.z" = "3*0.86-2"
        [tries]
        "s1.forward.L1.n1.a" = ["4", "0.98"]
        "s1.forward.L2.n1.z" = ["2"]
        [hints]
        "s1.forward.L1.n2.z" = 2
        """
    )
    code, data = replay_json(capsys, "lecture-example", path)
    assert code == 0
    outcomes = data["outcomes"]
    assert outcomes["s1.forward.L1.n1.z"] == "first_try"
    assert outcomes["s1.forward.L1.n1.a"] == "after_wrong"
    assert outcomes["s1.forward.L1.n2.z"] == "after_hint"
    assert outcomes["s1.forward.L2.n1.z"] == "revealed"
    assert outcomes["s1.loss"] == "unanswered"
    # the existing keys keep their meaning: each step's first graded answer
    assert data["mistakes"]["s1.forward.L1.n1.a"] == "a_for_z"
    assert "s1.forward.L1.n1.a" in data["wrong"] and data["correct"] == 2
    # too coarse is its own outcome; a term of a sum is named
    assert data["imprecise"] == ["s1.forward.L1.n2.a", "s1.backward.L2.n2.gain"]
    assert "s1.forward.L2.n1.z" in data["wrong"]  # a bare "2" for 1.84 is a guess, not a rounding
    assert data["terms"]["s1.forward.L3.n1.z"] == "w₅₄·a₄"
    assert data["tries"]["s1.forward.L1.n1.a"][0]["mistake"] == "a_for_z"
    assert "mixed up" in data["tries"]["s1.forward.L1.n1.a"][0]["said"]


def test_replay_carries_the_files_own_answers_forward(write, capsys):
    path = write(
        """
        [answers]
        "s1.backward.L1.n1.gain" = "0.98*0.02"
        "s1.backward.L1.n1.dl_dz" = "0.0196*(-0.2)"
        """
    )
    _, data = replay_json(capsys, "lecture-example", path)
    assert data["carried_forward"] == ["s1.backward.L1.n1.dl_dz"]
    assert data["correct"] == 2


async def test_autoplay_plays_the_whole_lesson_by_itself():
    app = lecture_app(autoplay=0.01, persist=False)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        await until_summary(pilot)
        assert screen.session.score().first_try == 67


async def test_autoplay_space_pauses_and_any_key_takes_over(lecture, write):
    from bptui.answers_file import load_answers

    answers = load_answers(answers_file(write, {"s1.forward.L1.n1.z": "3"}))
    app = lecture_app(autoplay=0.05, answers=answers, persist=False)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        for _ in range(200):  # the file's wrong answer is typed, then the step is revealed
            if screen.session.position >= 1:
                break
            await pilot.pause(0.02)
        record = screen.session.record(screen.session.steps[0])
        assert record.answers == ["3"] and record.revealed
        await pilot.press("space")
        assert screen.paused
        position = screen.session.position
        await pilot.pause(0.3)
        assert screen.session.position == position
        await pilot.press("x")
        assert screen.autoplay_timer is None
        assert screen.query_one("#answer", Input).has_focus


def test_autoplay_answers_need_autoplay(write, capsys):
    path = answers_file(write, {})
    assert main(["lecture-example", "--answers", path]) == 2
    assert "--autoplay" in capsys.readouterr().err


# --- a batch survives bad files (issue 11) ----------------------------------------------------

UNUSABLE = {  # what an unusable file holds → what its error must say (and where)
    "malformed": (b'[answers]\n"s1.loss" = \n', "broken.toml:2: not valid TOML"),
    "another lesson": (b'lesson = "03-one-neuron"\n[answers]\n',
                       "broken.toml:1: lesson: these answers are for '03-one-neuron'"),
    "unknown id": (b'[answers]\n"s1.loss" = 1\n"s1.nowhere" = 2\n',
                   "broken.toml:3: answers.\"s1.nowhere\": unknown step id 's1.nowhere'"),
    "wrong type": (b'[answers]\n"s1.loss" = 1\n\n[hints]\n"s1.loss" = "two"\n',
                   "broken.toml:5: hints.\"s1.loss\": must be a whole number from 0 to 100"),
    "too big": (b"[answers]\n" + b"# padding\n" * 27_000,
                "broken.toml: is larger than 256 KiB, the most an answers file may be"),
    "not UTF-8": (b'[answers]\n\n"s1.loss" = "\xe9"\n', "broken.toml:3: is not UTF-8 text"),
    "a folder": (None, "broken.toml: is a directory, not an answers file"),
    "a FIFO": ("fifo", "broken.toml: is a FIFO (named pipe), not an answers file"),
    "empty": (b"", "broken.toml: is empty"),
}  # fmt: skip


@pytest.mark.parametrize("kind", list(UNUSABLE))
def test_an_unusable_file_is_listed_and_the_others_are_graded(kind, lecture, tmp_path, capsys):
    import os

    content, message = UNUSABLE[kind]
    folder = tmp_path / "class"
    folder.mkdir()
    bad = folder / "broken.toml"
    if content is None:
        bad.mkdir()
    elif content == "fifo":
        os.mkfifo(bad)
    else:
        bad.write_bytes(content)
    (folder / "good.toml").write_text(
        "[answers]\n" + "".join(f'"{k}" = "{v}"\n' for k, v in key_answers(lecture).items()),
        encoding="utf-8",
    )
    code, data = replay_json(capsys, "lecture-example", str(folder))
    assert code == 3  # some graded, some not
    [graded] = data["files"]
    assert graded["file"].endswith("good.toml") and graded["correct"] == 67
    [problem] = data["unusable"]
    assert problem["message"].startswith(f"{bad}{message.removeprefix('broken.toml')}")
    assert "lesson" not in problem["error"] or kind == "another lesson"
    # the text output lists it too, and stderr has it for a script's log
    assert main(["replay", "lecture-example", str(folder)]) == 3
    out, err = capsys.readouterr()
    assert "1 of 2 answers files could not be graded" in out and message in " ".join(out.split())
    assert message in err and "Traceback" not in err


def test_exit_status_says_what_happened(lecture, mixed, write, tmp_path, capsys):
    perfect = answers_file(write, key_answers(lecture), name="perfect.toml")
    broken = write("[answers\n", name="broken.toml")
    replay = ["replay", "lecture-example"]
    assert main([*replay, perfect]) == 0  # every file graded
    assert main([*replay, perfect, mixed]) == 0
    assert main([*replay, perfect, "--strict"]) == 0
    assert main([*replay, perfect, mixed, "--strict"]) == 1  # graded, not all right
    assert main([*replay, perfect, broken]) == 3  # some could not be graded
    assert main([*replay, perfect, broken, "--strict"]) == 3
    assert main([*replay, broken]) == 2  # nothing graded
    assert main([*replay, broken, str(tmp_path / "nowhere.toml")]) == 2
    capsys.readouterr()
    # several files, none usable: the JSON still says why, for a script
    code, data = replay_json(capsys, *replay[1:], broken, str(tmp_path / "nowhere.toml"))
    assert code == 2 and data["files"] == []
    assert [Path(p["file"]).name for p in data["unusable"]] == ["broken.toml", "nowhere.toml"]
    assert data["unusable"][1]["error"] == "no such file"
    # a bad lesson: exit 2 before anything is graded, nothing on stdout
    bad_lesson = write("title = 1\n", name="lesson.toml")
    assert main(["replay", bad_lesson, perfect, "--json"]) == 2
    assert capsys.readouterr().out == ""
    empty = tmp_path / "empty"
    empty.mkdir()
    code, data = replay_json(capsys, "lecture-example", str(empty), perfect)
    assert code == 3 and data["unusable"][0]["error"] == "is a folder with no .toml answers files"


def test_answers_file_errors_are_located_by_line_and_field(write, capsys):
    path = write(
        'lesson = "lecture-example"\n\n[answers]\n"s1.forward.L1.n1.z" = 4\n"s1.loss" = [1, 2]\n',
        name="a.toml",
    )
    assert main(["replay", "lecture-example", path]) == 2
    err = capsys.readouterr().err
    assert f'{path}:5: answers."s1.loss": must be a number or a string' in err
    path = write('revealed = "s1.loss"\n[answers]\n', name="b.toml")
    assert main(["replay", "lecture-example", path]) == 2
    assert f"{path}:1: revealed: must be a list of step ids" in capsys.readouterr().err
    path = write('[answers]\n"s1.loss" = 1\n[tries]\n"s1.loss" = ["1", true]\n', name="c.toml")
    assert main(["replay", "lecture-example", path]) == 2
    assert f'{path}:4: tries."s1.loss"[2]: must be a number or a string' in capsys.readouterr().err


def reference(lesson, all_steps, answers):
    """The replay as it was before it was made fast: the tutor's session, every step played."""
    from bptui.replay import Graded
    from bptui.session import Session

    session = Session(lesson, all_steps)
    session.on_screen = False  # grading a file: no screen to keep values from
    graded = Graded(answers.source, session.steps)
    for index, step in enumerate(session.steps):
        session.go(index)
        session.progress.record(step.id).hints = answers.hints.get(step.id, 0)
        verdicts = [(text, session.answer(text)) for text in answers.tries_of(step.id)]
        if step.id in answers.revealed:
            session.reveal()
        graded.take(step.id, verdicts, session.record(step))
    return graded


def test_the_fast_replay_grades_exactly_as_the_tutors_session(lecture, tmp_path):
    """One Grader for many files (each distinct case played once) gives what the tutor's own
    session gives, file by file: tries, hints, reveals and error carried forward included."""
    import math
    import random

    from bptui.answers_file import load_answers
    from bptui.replay import Grader, _Replaying

    all_steps = steps.build(lecture)
    asked = steps.asked(all_steps)
    rng = random.Random(11)
    grader = Grader(lecture, all_steps)
    for i in range(40):
        answers, tries, hints, revealed = {}, {}, {}, []
        for step in asked:
            slips = [m for m in step.mistakes if math.isfinite(m.value(step.values("exact")))]
            roll = rng.random()
            if roll < 0.15 and slips:
                wrong = shown_at(rng.choice(slips).value(step.values("exact")), step.places)
                tries[step.id] = [wrong, step.shown] if rng.random() < 0.5 else [wrong]
            elif roll < 0.2:
                revealed.append(step.id)
            elif roll < 0.25:
                hints[step.id] = rng.randint(1, 3)
                answers[step.id] = step.shown
            elif roll < 0.3:
                answers[step.id] = rng.choice(["0.4.2", "", "1/0", "0.1"])
            elif roll < 0.9:
                answers[step.id] = step.shown
        if i % 5 < 2:  # worked from the file's own earlier answer (error carried forward), or not
            answers["s1.backward.L1.n1.dl_dz"] = "0.0196*(-0.2)"
            answers["s1.backward.L1.n1.gain"] = "0.98*0.02" if i % 5 == 0 else "0.5"
        lines = [f"revealed = {json.dumps(revealed)}", "[answers]"]
        lines += [f"{json.dumps(k)} = {json.dumps(v)}" for k, v in answers.items()]
        lines += ["[tries]", *(f"{json.dumps(k)} = {json.dumps(v)}" for k, v in tries.items())]
        lines += ["[hints]", *(f"{json.dumps(k)} = {v}" for k, v in hints.items())]
        path = tmp_path / f"f{i}.toml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        loaded = load_answers(path)
        assert grader.grade(loaded).data() == reference(lecture, all_steps, loaded).data()
    assert len(grader.seen) < 40 * len(asked)  # cases met before were not played again
    # the session's own values carried forward, kept step by step, are the tutor's
    session = _Replaying(lecture, all_steps)
    for index, step in enumerate(session.steps[:12]):
        session.go(index)
        session.answer(step.shown if index % 3 else "0.5")
        assert session.carried() == Session.carried(session)
        value = session.carried().get(step.id)
        if value is not None:
            session.kept[step.id] = value


def test_the_headless_replay_never_imports_the_tui():
    import ast

    import bptui

    for name in ("replay.py", "report.py", "answers_file.py", "files.py"):
        tree = ast.parse((Path(bptui.__file__).parent / name).read_text(encoding="utf-8"))
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        assert not {m for m in imported if m and m.startswith(("textual", "bptui.tui"))}, name


def test_a_folder_means_its_toml_files_not_hidden_ones(lecture, tmp_path, capsys):
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "ann.toml").write_text('[answers]\n"s1.forward.L1.n1.z" = "4"\n', encoding="utf-8")
    (folder / ".#ann.toml").symlink_to("nobody@host.1234")  # an editor's lock file
    (folder / "notes.txt").write_text("not an answers file\n", encoding="utf-8")
    code, data = replay_json(capsys, "lecture-example", str(folder))
    assert code == 0 and [Path(f["file"]).name for f in data["files"]] == ["ann.toml"]
