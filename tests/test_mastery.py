"""Mastery: each step counts for its skill across lessons; a skill right first time three times
in a row is mastered, and the tutor offers, once a lesson, to fill in its remaining steps."""

from __future__ import annotations

import json

import pytest

from bptui import steps
from bptui.lesson import load, shipped_lessons
from bptui.mastery import MASTERED_AFTER, SKILLS, SkillRecord, Skills, label, skill_of, weakest
from bptui.progress import Store, data_dir
from bptui.session import Session

from .conftest import LECTURE
from .tui_helpers import answer, lecture_app, ready


def session_of(spec: str) -> Session:
    lesson = load(spec)
    return Session(lesson, steps.build(lesson), Store.of(lesson))


def play_until(session: Session, skill: str, right_first_time: int) -> None:
    """Answer every step right, in order, until `skill` has been right first time n times."""
    seen = 0
    while seen < right_first_time:
        step = session.step
        session.answer(step.shown)
        seen += skill_of(step) == skill
        session.go(session.position + 1)


@pytest.mark.parametrize("path", shipped_lessons(), ids=lambda p: p.stem)
def test_every_step_of_every_shipped_lesson_practises_a_known_skill(path):
    lesson = load(str(path))
    assert all(skill_of(step) in SKILLS for step in steps.build(lesson))


def test_three_right_first_time_master_a_skill_and_it_is_offered_once():
    session = session_of(str(LECTURE))
    play_until(session, "z", MASTERED_AFTER - 1)
    assert session.mastered is None
    play_until(session, "z", 1)
    assert session.mastered == "z"
    left = session.to_fill("z")
    assert left and all(skill_of(s) == "z" and not session.done(s) for s in left)
    assert session.progress.offered == ["z"]
    session.offers.clear()  # the learner goes on without filling
    play_until(session, "z", 1)
    assert session.mastered != "z"  # once a lesson: not offered again


def test_filling_fills_only_that_skills_remaining_steps_and_counts_them_apart():
    session = session_of(str(LECTURE))
    play_until(session, "z", MASTERED_AFTER)
    before = {s.id: session.done(s) for s in session.steps}
    left = {s.id for s in session.to_fill("z")}
    assert session.fill("z") == len(left)
    changed = {i for i, was in before.items() if session.done(session.by_id[i]) != was}
    assert changed == left
    score = session.score()
    assert score.filled == len(left)
    assert score.first_try == sum(1 for s in session.steps if session.record(s).correct)
    assert session.mastered is None and session.to_fill("z") == []
    again = session_of(str(LECTURE))  # saved: a new tutor on the lesson sees the same
    assert again.score().filled == len(left)


def test_a_retry_a_hint_or_a_reveal_starts_the_run_again():
    session = session_of(str(LECTURE))
    play_until(session, "z", 2)
    records = Skills(data_dir()).load()
    assert records["z"].streak == 2
    while skill_of(session.step) != "z":
        session.answer(session.step.shown)
        session.go(session.position + 1)
    session.answer("12345")  # wrong first
    session.answer(session.step.shown)
    assert Skills(data_dir()).load()["z"].streak == 0
    assert session.mastered is None


def test_the_record_is_kept_across_lessons_and_weakest_ranks_it():
    first = session_of("04-forward-pass")
    play_until(first, "z", 2)
    second = session_of("03-one-neuron")
    while skill_of(second.step) != "z":
        second.answer(second.step.shown)
        second.go(second.position + 1)
    second.answer(second.step.shown)
    records = Skills(data_dir()).load()
    assert records["z"].first_try == 3 and records["z"].mastered
    assert second.mastered in (None, "z")  # offered only if lesson 03 still asks a z
    records["activation"] = SkillRecord(done=3)  # done three times, never right first time
    assert weakest(records)[0] == "activation"


def test_a_corrupt_skills_file_is_set_aside_not_lost(tmp_path):
    skills = Skills(tmp_path)
    skills.path.write_text("{not json", encoding="utf-8")
    assert skills.load() == {}
    skills.add("z", "first_try")
    [aside] = tmp_path.glob("skills.unreadable-*.json")
    assert aside.read_text(encoding="utf-8") == "{not json"
    assert json.loads(skills.path.read_text(encoding="utf-8"))["skills"]["z"]["first_try"] == 1


async def test_the_tutor_offers_the_fill_and_ctrl_f_fills_in():
    app = lecture_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        session = screen.session
        assert not screen.check_action("fill", ())
        for _ in range(20):
            if session.mastered is not None:
                break
            await answer(pilot, session.step.shown.replace("−", "-"))
        skill = session.mastered
        feedback = str(screen.query_one("#feedback").render())
        assert "ctrl+f" in feedback and str(len(session.to_fill(skill))) in feedback
        assert screen.check_action("fill", ())
        left = len(session.to_fill(skill))
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert session.score().filled == left and session.to_fill(skill) == []
        assert not session.record(session.step).filled  # moved on past the filled steps
        assert f"{left} filled" in str(screen.query_one("#topbar").render())
        assert not screen.check_action("fill", ())


async def test_the_picker_shows_the_skills():
    from bptui.tui.app import TutorApp

    session = session_of(str(LECTURE))
    play_until(session, "z", MASTERED_AFTER)
    app = TutorApp(cursor_blink=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        line = str(app.screen.query_one("#skills").render())
        assert "mastered: z" in line and "a " in line


def with_tutor(lines: str) -> str:
    """The lecture lesson with these lines in its [tutor] table."""
    text = LECTURE.read_text(encoding="utf-8")
    if "\n[tutor]\n" in text:
        return text.replace("\n[tutor]\n", f"\n[tutor]\n{lines}\n", 1)
    return f"{text}\n[tutor]\n{lines}\n"


def test_a_focused_lesson_asks_only_its_skills_and_shows_the_rest(write):
    from bptui.cli import main

    path = write(with_tutor('focus = ["gain"]'))
    lesson = load(path)
    built = steps.build(lesson)
    asked = [s for s in built if s.asked]
    assert asked and all(skill_of(s) == "gain" for s in asked)
    assert len(built) == len(steps.build(load(str(LECTURE))))  # the others are still there, shown
    assert main(["check", path]) == 0


def test_a_focus_with_nothing_to_ask_or_an_unknown_skill_is_refused(write, capsys):
    from bptui.cli import main

    nothing = write(with_tutor('ask = ["forward"]\nfocus = ["update"]'), "a.toml")
    unknown = write(with_tutor('focus = ["dz"]'), "b.toml")
    assert main(["check", nothing, unknown]) == 2
    err = capsys.readouterr().err
    assert "tutor.focus: leaves no step to ask" in err
    assert "tutor.focus[1]: unknown skill 'dz'" in err and "a.toml:" in err


def test_practice_focus_weakest_asks_mostly_the_weakest_skill(tmp_path, capsys):
    from bptui.cli import main

    records = Skills(data_dir())
    for outcome in ("first_try", "first_try", "after_wrong"):
        records.add("z", outcome)
    for outcome in ("revealed", "after_hint", "first_try"):
        records.add("dl_dw", outcome)  # 1 of 3 right first time: the weakest
    saved = tmp_path / "p.toml"
    assert main(["practice", "--focus", "weakest", "--seed", "7", "--save", str(saved)]) == 0
    assert "∂l/∂w" in capsys.readouterr().err
    asked = [s for s in steps.build(load(str(saved))) if s.asked]
    assert asked and all(skill_of(s) == "dl_dw" for s in asked)


@pytest.mark.parametrize("skill", ["total", "op_amp_sum", "update", "loss"])
def test_practice_can_focus_on_any_network_skill(skill, tmp_path):
    from bptui.practice import generate

    saved = tmp_path / "p.toml"
    saved.write_text(generate((2, 2, 1), "sigmoid", "squared_error", 5, (skill,)), "utf-8")
    asked = [s for s in steps.build(load(str(saved))) if s.asked]
    assert asked and {skill_of(s) for s in asked} == {skill}


async def test_the_offer_is_said_once_and_lapses_when_the_learner_does_the_steps_by_hand():
    app = lecture_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        session = screen.session
        for _ in range(20):
            if session.mastered is not None:
                break
            await answer(pilot, session.step.shown.replace("−", "-"))
        skill = session.mastered
        assert "ctrl+f" in str(screen.query_one("#feedback").render())
        await answer(pilot, session.step.shown.replace("−", "-"))  # the next step, by hand
        assert label(skill) not in str(screen.query_one("#feedback").render())  # said once
        for _ in range(40):  # on, by hand, until that skill's steps are all done
            if not session.to_fill(skill):
                break
            await answer(pilot, session.step.shown.replace("−", "-"))
        await answer(pilot, session.step.shown.replace("−", "-"))
        assert session.to_fill(skill) == [] and not screen.check_action("fill", ())


async def test_an_earlier_offer_is_not_said_again_when_a_later_one_lapses():
    """Played by hand through the lecture, never filling: each offer is said once, even when a
    later offer lapses (its steps done) and an earlier one is on offer again."""
    app = lecture_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        session = screen.session
        said = []
        while not session.finished:
            await answer(pilot, session.step.shown.replace("−", "-"))
            if "ctrl+f" in str(screen.query_one("#feedback").render()):
                said.append(session.mastered)
        assert len(said) >= 2  # several skills were mastered and offered
        assert len(said) == len(set(said)), said


def test_the_attempt_record_keeps_the_filled_steps_and_replays_them_as_the_tutor_counted(capsys):
    from bptui.cli import main

    session = session_of(str(LECTURE))
    play_until(session, "z", MASTERED_AFTER)
    n = session.fill("z")
    [record] = (data_dir() / "attempts").glob("*.toml")
    assert "filled = [" in record.read_text(encoding="utf-8")
    assert main(["replay", str(LECTURE), str(record), "--json"]) == 0
    replayed = json.loads(capsys.readouterr().out)
    outcomes = replayed["outcomes"]
    assert sum(o == "filled" for o in outcomes.values()) == n == replayed["score"]["filled"]
    for step in session.steps:
        assert outcomes[step.id] in {session.record(step).outcome or "open", "unanswered"}
        assert (outcomes[step.id] == "unanswered") == (not session.record(step).answers
                                                      and not session.done(step))  # fmt: skip


def test_mastery_is_kept_after_a_slip_and_a_second_offer_does_not_cancel_the_first():
    session = session_of(str(LECTURE))
    play_until(session, "z", MASTERED_AFTER)
    play_until(session, "activation", 1)  # a₃: a = f(z) mastered too (a₁, a₂, a₃)
    assert session.offers == ["z", "activation"]
    assert session.fill("activation") > 0
    assert session.mastered == "z"  # the first offer is still open
    while skill_of(session.step) != "z" or session.done(session.step):
        session.go(session.position + 1)
    session.answer("12345")  # a slip on a z step
    session.answer(session.step.shown)
    assert Skills(data_dir()).load()["z"].mastered  # mastered, once reached, is kept


def test_an_offer_comes_only_after_a_step_right_first_time():
    first = session_of(str(LECTURE))
    play_until(first, "z", MASTERED_AFTER)  # z mastered in one lesson
    other = session_of("04-forward-pass")
    other.answer("12345")  # the next lesson's first z, wrong first
    other.answer(other.step.shown)
    assert other.mastered is None
    other.go(other.position + 2)  # its next z, right first time: now offered
    assert skill_of(other.step) == "z"
    other.answer(other.step.shown)
    assert other.mastered == "z"
