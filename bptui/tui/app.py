"""The step-through tutor: the app, which opens on a lesson or on the picker.

The screens live beside it: `lesson_screen` (the lesson), `picker`, `dialogs` (help, summary),
and `chrome` (what they share). The screens only display and dispatch; the steps, grading, score
and persistence live in `bptui.session`.
"""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from bptui.lesson import Lesson
from bptui.tui.lesson_screen import LessonScreen


class TutorApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "bptui"
    BINDINGS = [Binding("f1", "help", "Help", show=False)]

    def __init__(
        self,
        lesson: Lesson | None = None,
        restart: bool = False,
        autoplay: float | None = None,
        answers=None,
        cursor_blink: bool = True,
        persist: bool = True,
        scaffold: str | None = None,
    ):
        super().__init__()
        self.scaffold = scaffold  # --scaffold, for the lessons opened from the picker too
        self.lesson = lesson
        self.restart = restart
        self.autoplay = autoplay
        self.answers = answers
        self.cursor_blink = cursor_blink
        self.persist = (
            persist  # False for replays and autoplay: the learner's progress stays as it was
        )
        self.error: str | None = None  # why the lesson could not be opened, said after exit

    def get_default_screen(self) -> Screen:
        # The first screen is the lesson itself (or the picker): no blank screen drawn before it.
        if self.lesson is None:
            from bptui.tui.picker import PickerScreen  # only when no lesson was named

            return PickerScreen()
        return LessonScreen(self.lesson, self.restart, self.autoplay, self.answers)

    def action_help(self) -> None:
        from bptui.tui.dialogs import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())
