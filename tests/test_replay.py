"""`bptui replay`: headless grading, the error cases, the TUI replay, autoplay."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Input

from bptui import steps
from bptui.cli import main
from bptui.progress import data_dir

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
    assert code == 0 and [d["correct"] for d in data] == [64, 67]
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
