"""Helpers for driving the real tutor with Pilot."""

from __future__ import annotations

from bptui.lesson import load
from bptui.tui.app import TutorApp
from bptui.tui.lesson_screen import LessonScreen

from .conftest import LECTURE


def lecture_app(**options) -> TutorApp:
    return TutorApp(load(str(LECTURE)), cursor_blink=False, **options)


async def ready(pilot) -> LessonScreen:
    """Wait until the lesson screen has its steps (they are worked out in a thread)."""
    for _ in range(400):
        screen = pilot.app.screen
        if isinstance(screen, LessonScreen) and screen.session is not None:
            await pilot.pause()
            return screen
        await pilot.pause(0.01)
    raise AssertionError("the lesson never became ready")


async def answer(pilot, text: str) -> None:
    await pilot.press(*text) if text else None
    await pilot.press("enter")
    await pilot.pause()


async def until_summary(pilot) -> None:
    """Wait until the summary screen opens (the end of a lesson played by itself)."""
    from bptui.tui.dialogs import SummaryScreen

    for _ in range(1000):
        if isinstance(pilot.app.screen, SummaryScreen):
            return
        await pilot.pause(0.01)
    raise AssertionError("the lesson never reached its summary")


async def typed_attempt(*answers: str):
    """Type these answers into the lecture lesson; return the attempt record it left behind."""
    from bptui.progress import data_dir

    app = lecture_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        for text in answers:
            await answer(pilot, text)
    [record] = (data_dir() / "attempts").glob("*.toml")
    return record
