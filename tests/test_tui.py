"""The real tutor, driven with Pilot: answering, hints, navigation, persistence, the picker."""

from __future__ import annotations

import json

import pytest
from textual.widgets import Input, OptionList, Static

from bptui.lesson import load
from bptui.progress import data_dir
from bptui.tui.app import TutorApp
from bptui.tui.dialogs import HelpScreen, SummaryScreen
from bptui.tui.lesson_screen import LessonScreen
from bptui.tui.picker import PickerScreen

from .conftest import LECTURE
from .tui_helpers import answer, lecture_app, ready, typed_attempt


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_first_frame_shows_the_title_and_step_1_of_n():
    app = lecture_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        assert "The lecture's example network" in text_of(screen, "#topbar")
        assert "step 1/67" in text_of(screen, "#topbar")
        assert "z₁ = 1·1 + (−2)·(−1) + 1" in text_of(screen, "#card")
        assert "introduction" not in text_of(screen, "#card")  # the intro itself, not a gate
        assert "two hidden layers" in text_of(screen, "#card")


async def test_right_answer_moves_on_and_wrong_answer_is_diagnosed():
    app = lecture_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        await answer(pilot, "4")
        assert "Right" in text_of(screen, "#feedback")
        assert "step 2/67" in text_of(screen, "#topbar")
        await answer(pilot, "4")  # a₁ asked, z₁ given
        feedback = text_of(screen, "#feedback")
        assert "✗" in feedback and "a and z mixed up" in feedback
        assert "step 2/67" in text_of(screen, "#topbar")


async def test_arithmetic_is_typed_and_accepted():
    app = lecture_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await answer(pilot, "1*1+(-2)*(-1)+1")
        assert app.screen.session.position == 1
        await answer(pilot, "1/(1+exp(-4))")
        assert app.screen.session.position == 2


async def test_nonsense_gets_a_short_message_and_costs_nothing():
    app = lecture_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        await answer(pilot, "abc")
        assert "Can't read" in text_of(screen, "#feedback")
        await answer(pilot, "9^9^9")
        assert "too large" in text_of(screen, "#feedback")
        await answer(pilot, "4")
        assert screen.session.score().first_try == 1


async def test_hints_come_in_stages_then_reveal():
    app = lecture_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        await pilot.press("f2")
        card = text_of(screen, "#card")
        assert "Hint 1:" in card and "Hint 2:" not in card
        await pilot.press("f2")
        assert "Hint 2: 1·1 = 1, (−2)·(−1) = 2" in text_of(screen, "#card")
        await pilot.press("f2")
        assert "No more hints" in text_of(screen, "#feedback")
        await pilot.press("f3")
        assert "Revealed" in text_of(screen, "#feedback")
        assert screen.session.score().revealed == 1
        await answer(pilot, "")  # Enter on a finished step goes on
        assert screen.session.position == 1


async def test_looking_back_never_changes_a_value_or_the_score():
    app = lecture_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        await answer(pilot, "4")
        await answer(pilot, "0.98")
        ids, values = [s.id for s in screen.session.steps], [s.value for s in screen.session.steps]
        score = screen.session.score()
        await pilot.press("f5", "f5")
        assert screen.session.position == 0
        assert "= 4" in text_of(screen, "#card")
        await answer(pilot, "7")  # a wrong answer on a finished step is checked, not scored
        await pilot.press("f6", "f6", "f6")
        assert screen.session.position == 3
        assert [s.id for s in screen.session.steps] == ids
        assert [s.value for s in screen.session.steps] == pytest.approx(values, rel=1e-15)
        assert screen.session.score() == score


async def test_command_palette_jumps_to_a_step():
    app = lecture_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"s1.loss")
        from textual.widgets import OptionList

        for _ in range(100):  # the palette searches in the background: wait for its hits
            await pilot.pause(0.05)
            hits = pilot.app.screen.query(OptionList)
            if (
                hits
                and hits.first().option_count
                and "13/67" in str(hits.first().get_option_at_index(0).prompt)
            ):
                break
        else:
            raise AssertionError("the palette found no step 13/67 for 's1.loss'")
        await pilot.press("enter")
        await pilot.pause()
        assert screen.session.step.id == "s1.loss"
        assert "step 13/67" in text_of(screen, "#topbar")


async def test_progress_survives_quitting_and_resumes_on_the_same_step():
    app = lecture_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await answer(pilot, "4")
        await answer(pilot, "0.5")
        await pilot.press("f2")
    again = lecture_app()
    async with again.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        assert screen.session.position == 1
        assert screen.session.record().hints == 1
        assert screen.session.score().first_try == 1
        assert "Hint 1:" in text_of(screen, "#card")


async def test_corrupt_progress_is_set_aside_with_a_notice():
    app = lecture_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await answer(pilot, "4")
    [saved] = (data_dir() / "progress").glob("*.json")
    saved.write_text("{ not json", encoding="utf-8")
    again = lecture_app()
    async with again.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        assert screen.session.position == 0
        assert any("set aside" in n.message for n in again._notifications)
    assert len(list((data_dir() / "progress").glob("*.unreadable-*.json"))) == 1


async def test_changed_lesson_sets_old_progress_aside(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(LECTURE.read_text(encoding="utf-8"), encoding="utf-8")
    app = TutorApp(load(str(path)), cursor_blink=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await answer(pilot, "4")
    path.write_text(
        path.read_text(encoding="utf-8").replace("biases = [1, 0]", "biases = [2, 0]"),
        encoding="utf-8",
    )
    again = TutorApp(load(str(path)), cursor_blink=False)
    async with again.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        assert screen.session.position == 0 and screen.session.score().done == 0
        assert any("has changed" in n.message for n in again._notifications)


async def test_restart_needs_two_presses():
    app = lecture_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        await answer(pilot, "4")
        await pilot.press("ctrl+r")
        assert screen.session.position == 1
        await pilot.press("ctrl+r")
        assert screen.session.position == 0 and screen.session.score().done == 0


async def test_every_answer_goes_to_the_attempt_record():
    record = await typed_attempt("4", "0.5", "0.98")
    text = record.read_text(encoding="utf-8")
    assert 'lesson = "lecture-example"' in text
    assert '"s1.forward.L1.n1.z" = "4"' in text
    assert '"s1.forward.L1.n1.a" = "0.5"' in text  # the first graded answer
    assert '"s1.forward.L1.n1.a" = ["0.5", "0.98"]' in text  # and every try, in order


async def test_summary_at_the_end_counts_phases_and_mistakes():
    app = lecture_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        session = screen.session
        await answer(pilot, "4")
        await answer(pilot, "4")  # a and z mixed up
        for step in session.steps[1:-1]:
            session.progress.record(step.id).revealed = True
        screen.goto(len(session.steps) - 1)
        await answer(pilot, session.step.shown)
        assert isinstance(app.screen, SummaryScreen)
        from rich.console import Console

        from bptui.tui import texts

        console = Console(width=200, record=True)
        console.print(texts.summary(app.screen.session))
        out = console.export_text()
        assert (
            "67 of 67 steps done: 2 right first time, 0 right after a wrong try, "
            "0 right after a hint, 65 revealed" in out
        )
        assert "a and z mixed up" in out and "Forward pass" in out
        assert "Steps that went wrong" in out and "2. a₁" in out  # the step, what was typed
        await pilot.press("escape")
        assert isinstance(app.screen, LessonScreen)


async def test_too_small_terminal_says_so():
    app = lecture_app()
    async with app.run_test(size=(60, 20)) as pilot:
        screen = await ready(pilot)
        assert screen.has_class("too-small")
        assert "60×20" in text_of(screen, "#too-small") and "80×24" in text_of(screen, "#too-small")
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not screen.has_class("too-small")


async def test_help_screen_opens_and_closes():
    app = lecture_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, LessonScreen)


async def test_picker_lists_shipped_lessons_with_progress_and_opens_one():
    first = lecture_app()
    async with first.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await answer(pilot, "4")
    app = TutorApp(cursor_blink=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        options = app.screen.query_one("#lessons", OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        lecture = next(p for p in prompts if "lecture's example network" in p)
        assert "1/67 done" in lecture
        index = prompts.index(lecture)
        options.highlighted = index
        await pilot.press("enter")
        screen = await ready(pilot)
        assert screen.session.position == 1


async def test_picker_opens_a_path_and_refuses_a_bad_one(write):
    good = write(LECTURE.read_text(encoding="utf-8"), name="copy.toml")
    bad = write("title = 3\n", name="bad.toml")
    app = TutorApp(cursor_blink=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.screen.query_one("#path", Input).focus()
        app.screen.query_one("#path", Input).value = bad
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        assert any(
            "bad.toml" in n.message and "missing key" in n.message for n in app._notifications
        )
        app.screen.query_one("#path", Input).value = good
        await pilot.press("enter")
        screen = await ready(pilot)
        assert screen.lesson.source == good


async def test_progress_file_is_valid_json_after_every_answer():
    app = lecture_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        for value in ("4", "0.98", "-2"):
            await answer(pilot, value)
            [saved] = (data_dir() / "progress").glob("*.json")
            data = json.loads(saved.read_text(encoding="utf-8"))
            assert data["total"] == 67
        assert data["position"] == 3


async def test_progress_that_cannot_be_saved_is_a_notice_not_a_crash(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    app = lecture_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        await answer(pilot, "4")
        assert screen.session.position == 1
        assert any("cannot be saved" in n.message for n in app._notifications)


async def test_picker_suggests_the_first_unfinished_lesson_of_the_course():
    from bptui import steps
    from bptui.progress import Store
    from bptui.session import Session

    first = load("01-chain-rule-case-1")  # finish lesson 1: the picker then suggests lesson 2
    session = Session(first, steps.build(first), Store.of(first))
    for index, step in enumerate(session.steps):
        session.go(index)
        session.answer(step.shown)
    app = TutorApp(cursor_blink=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        options = app.screen.query_one("#lessons", OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert "5/5 done" in prompts[0] and "next" not in prompts[0]
        assert "Chain rule, case 2" in prompts[1] and "▶ next" in prompts[1]
        assert options.highlighted == 1
        assert sum("▶ next" in p for p in prompts) == 1


def test_practice_without_save_opens_the_tutor_on_a_saved_lesson(monkeypatch):
    from bptui.cli import main

    opened = {}

    def fake_tutor(args):
        opened["lesson"] = args.lesson
        return 0

    monkeypatch.setattr("bptui.tui.run.run_tutor", fake_tutor)
    assert main(["practice", "--seed", "3"]) == 0
    lesson = load(opened["lesson"])
    assert lesson.title.startswith("Practice") and str(data_dir()) in lesson.source


async def test_page_down_scrolls_the_step_card_in_a_small_terminal():
    app = lecture_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        card = screen.query_one("#card-box")
        assert card.max_scroll_y > 0  # the introduction does not fit at 80×24
        await pilot.press("pagedown")
        await pilot.pause()
        assert card.scroll_y > 0
        await pilot.press("pageup")
        await pilot.pause()
        assert card.scroll_y < 0.5  # back at the top


async def test_an_answer_entered_while_the_lesson_loads_is_graded_when_ready(monkeypatch):
    import threading

    from bptui import steps

    build = steps.build
    go_on = threading.Event()

    def slow_build(*args, **kwargs):
        go_on.wait(30)  # a slow machine: the steps come only after the first keys (however
        return build(*args, **kwargs)  # long those take to arrive on a loaded machine)

    monkeypatch.setattr(steps, "build", slow_build)
    app = lecture_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("4", "enter")
        assert app.screen.session is None  # typed and entered before the steps were ready
        go_on.set()
        screen = await ready(pilot)
        await pilot.pause()
        assert screen.session.position == 1
        assert screen.session.progress.records["s1.forward.L1.n1.z"].answers == ["4"]
        assert "Right" in text_of(screen, "#feedback")


async def test_keys_typed_right_after_enter_belong_to_the_next_answer():
    app = lecture_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        await pilot.press("4", "enter", "0", ".", "9", "8", "enter")  # one burst, no pause
        await pilot.pause()
        records = screen.session.progress.records
        assert records["s1.forward.L1.n1.z"].answers == ["4"]
        assert records["s1.forward.L1.n1.a"].answers == ["0.98"]
        assert screen.session.position == 2


async def test_escape_goes_back_to_the_picker_which_shows_the_progress_made():
    app = TutorApp(cursor_blink=False)
    async with app.run_test(size=(100, 30)) as pilot:
        picker = app.screen
        assert isinstance(picker, PickerScreen)
        options = picker.query_one("#lessons", OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        lecture = next(i for i, path in enumerate(ids) if "lecture-example" in path)
        options.highlighted = lecture
        await pilot.press("enter")
        await ready(pilot)
        await answer(pilot, "4")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is picker
        assert "1/67 done" in str(options.get_option_at_index(lecture).prompt)


async def test_escape_does_nothing_when_the_lesson_was_opened_directly():
    app = lecture_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot)
        await pilot.press("escape")
        assert app.screen is screen


async def test_steps_built_once_are_cached_and_the_next_first_frame_shows_step_1():
    from bptui import cache

    app = lecture_app()
    kept = cache.path_for(*cache.steps_inputs(app.lesson))
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        for _ in range(100):  # the cache is written just after the steps are ready
            if kept.exists():
                break
            await pilot.pause(0.01)
    assert kept.exists()
    again = lecture_app()
    async with again.run_test(size=(100, 30)):
        screen = again.screen
        assert screen.session is not None  # at mount: no worker, no wait
        assert "step 1/67" in text_of(screen, "#topbar")
        assert [s.value for s in screen.session.all_steps] == pytest.approx(
            [s.value for s in steps_of_lecture()], rel=0, abs=0
        )  # the very numbers the engine gave: nothing recomputed differently
    kept.write_bytes(b"not a pickle")  # a broken cache is only a reason to build again
    third = lecture_app()
    async with third.run_test(size=(100, 30)) as pilot:
        assert third.screen.session is None
        await ready(pilot)


def steps_of_lecture():
    from bptui import steps

    return steps.build(load(str(LECTURE)))


async def test_picker_summaries_wrap_indented_under_their_title_and_rewrap_on_resize():
    from rich.cells import cell_len
    from textual.content import Content

    def option_lines(app) -> list[list[str]]:
        options = app.screen.query_one("#lessons", OptionList)
        prompts = [options.get_option_at_index(i).prompt for i in range(options.option_count)]
        return [Content.from_markup(str(p)).plain.split("\n") for p in prompts]

    app = TutorApp(cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        narrow = option_lines(app)
        assert any(len(lines) > 2 for lines in narrow)  # some summary needs two lines at 80
        for lines in narrow:
            assert all(line.startswith("  ") and cell_len(line) <= 72 for line in lines[1:])
        await pilot.resize_terminal(140, 30)
        await pilot.pause()
        wide = option_lines(app)
        assert sum(map(len, wide)) < sum(map(len, narrow))  # fewer lines once there is room


async def test_while_the_picker_is_shown_the_lessons_steps_are_built_so_step_1_comes_at_once():
    from bptui import cache
    from bptui.lesson import shipped_lessons

    app = TutorApp(cursor_blink=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        lessons = [load(str(path)) for path in shipped_lessons()]
        for _ in range(600):  # every shipped lesson, in the background
            if all(cache.load(lesson) is not None for lesson in lessons):
                break
            await pilot.pause(0.02)
        assert all(cache.load(lesson) is not None for lesson in lessons)
        await pilot.press("enter")  # the suggested lesson
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LessonScreen) and screen.session is not None
        assert "step 1/" in str(screen.query_one("#topbar").render())


async def test_served_the_picker_opens_shipped_lessons_only(monkeypatch):
    monkeypatch.setenv("BPTUI_SERVE", "1")  # a learner in a browser must not open server files
    app = TutorApp(cursor_blink=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        assert not app.screen.query("#path")
        assert app.screen.query_one("#lessons", OptionList).option_count >= 10
