"""`bptui replay --tui`: the same grading, done by driving the real tutor headless with Pilot."""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual.widgets import Input

from bptui.answers_file import Answers, AnswersError
from bptui.lesson import Lesson
from bptui.model import Step
from bptui.replay import Graded
from bptui.tui.app import TutorApp
from bptui.tui.lesson_screen import LessonScreen


def save_screenshot(app, path: Path) -> None:
    """An SVG of the screen, written without following a symlink at that (predictable) name."""
    import os

    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    with open(os.open(path, flags, 0o644), "w", encoding="utf-8") as out:
        out.write(app.export_screenshot())


def parse_size(text: str) -> tuple[int, int]:
    try:
        columns, rows = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise AnswersError(text, "a size is COLUMNSxROWS, such as 100x30", "--size") from None
    if not (20 <= columns <= 500 and 10 <= rows <= 300):
        raise AnswersError(text, "a size must be between 20x10 and 500x300", "--size")
    return columns, rows


def replay_in_tui(lesson: Lesson, steps: list[Step], files: list[Answers], screenshots: str | None,
                  size: str) -> list[Graded]:  # fmt: skip
    dimensions = parse_size(size)
    folder = Path(screenshots) if screenshots else None
    if folder:
        folder.mkdir(parents=True, exist_ok=True)
    return [asyncio.run(_drive(lesson, steps, answers, folder, dimensions)) for answers in files]


async def _drive(lesson, steps, answers: Answers, folder: Path | None, size) -> Graded:
    app = TutorApp(lesson, cursor_blink=False, persist=False)
    graded = Graded(answers.source, [s for s in steps if s.asked])
    async with app.run_test(size=size) as pilot:
        screen = app.screen
        for _ in range(1000):
            if isinstance(screen := app.screen, LessonScreen) and screen.session is not None:
                break
            await pilot.pause(0.01)
        session = screen.session
        for index, step in enumerate(session.steps):
            screen.goto(index)
            for _ in range(answers.hints.get(step.id, 0)):
                await pilot.press("f2")
            verdicts = []
            for text in answers.tries_of(step.id):
                screen.goto(index)  # a right answer moves on; a later try is for this step
                screen.query_one("#answer", Input).value = text
                await pilot.press("enter")
                await pilot.pause()
                verdicts.append((text, session.last_verdict))  # the verdict the tutor showed
            if step.id in answers.revealed:
                screen.goto(index)
                await pilot.press("f3")
                await pilot.pause()
            if step.id in answers.filled and not session.done(step):  # a mastered skill's
                session.progress.record(step.id).filled = True  # step, as the tutor filled it
                session.save()
            graded.take(step.id, verdicts, session.record(step))
            if folder:
                name = f"{Path(answers.source).stem}-{index + 1:03d}-{step.id}.svg"
                save_screenshot(app, folder / name)
            if app.screen is not screen:  # the summary opened after the last answer
                app.screen.dismiss(False)
                await pilot.pause()
    return graded
