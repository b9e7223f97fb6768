"""The lesson picker: the shipped lessons with your progress, or any lesson file by path."""

from __future__ import annotations

import os

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from bptui.i18n import t
from bptui.lesson import LessonError, load, shipped_lessons
from bptui.tui import texts
from bptui.tui.chrome import TutorScreen
from bptui.tui.lesson_screen import LessonScreen


class PickerScreen(TutorScreen):
    # Here rather than in app.tcss: a lesson's first frame need not parse the picker's styles.
    DEFAULT_CSS = """
    PickerScreen #lessons {
        height: 1fr;
        margin: 1 1 0 1;
    }
    PickerScreen #path {
        margin: 0 1;
    }
    PickerScreen #picker-hint, PickerScreen #skills {
        padding: 0 2;
        color: $text-muted;
    }
    """
    BINDINGS = [Binding("f1", "app.help", "Help", id="help")]

    def __init__(self):
        super().__init__()
        self.filled_width = 0  # the screen width the summaries were wrapped for

    def compose(self) -> ComposeResult:
        yield Static(f"[b]{t('tui.picker_title')}[/]", id="topbar")
        yield OptionList(id="lessons")
        yield Static(id="skills")
        yield Static(t("tui.picker_hint"), id="picker-hint")
        if not os.environ.get("BPTUI_SERVE"):  # served: the shipped lessons only, no paths
            yield Input(placeholder=t("tui.path"), id="path")
        yield Footer()

    def on_mount(self) -> None:
        self.check_size(self.app.size.width, self.app.size.height)
        for box in self.query("#path").results(Input):
            box.cursor_blink = self.app.cursor_blink
        self.fill()
        self.query_one("#lessons", OptionList).focus()
        self.call_after_refresh(self.warm_up)  # once the picker is on screen

    def on_screen_resume(self) -> None:
        self.fill()
        self.focus_main()

    def focus_main(self) -> None:
        self.query_one("#lessons", OptionList).focus()

    def option_width(self) -> int:
        """Cells for an option's text: the screen less the list's margin, border, padding and
        scrollbar (two cells each)."""
        self.filled_width = self.app.size.width
        return self.filled_width - 8

    def on_resize(self, event) -> None:
        super().on_resize(event)
        if self.is_mounted and event.size.width != self.filled_width:
            self.fill()  # the summaries wrapped again, each line indented

    def fill(self) -> None:
        from bptui.mastery import Skills
        from bptui.progress import Store, data_dir

        options = self.query_one("#lessons", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        suggested = None  # the course's next lesson: the first one not finished, in file order
        for index, path in enumerate(shipped_lessons()):
            try:
                lesson = load(str(path))
            except LessonError as error:
                options.add_option(
                    Option(texts.broken_option(path.stem, str(error)), id=str(path), disabled=True)
                )
                continue
            progress = Store.of(lesson).peek()
            finished = progress is not None and progress[1] and progress[0] >= progress[1]
            suggest = suggested is None and not finished
            if suggest:
                suggested = index
            prompt = texts.lesson_option(lesson, progress, suggest, self.option_width())
            options.add_option(Option(prompt, id=str(path)))
        if options.option_count:
            first = highlighted if highlighted is not None else suggested
            options.highlighted = first or 0
        self.query_one("#skills", Static).update(texts.skills_line(Skills(data_dir()).load()))

    @work(thread=True, exclusive=True, group="warm-up", exit_on_error=False)
    def warm_up(self) -> None:
        """While the learner chooses, build the steps of every shipped lesson not yet in the
        cache, the suggested one first: whichever is opened then shows step 1 at once."""
        from textual.worker import get_current_worker

        from bptui import cache, steps

        worker = get_current_worker()
        first = self.query_one("#lessons", OptionList).highlighted or 0
        paths = shipped_lessons()
        for path in [*paths[first:], *paths[:first]]:
            if worker.is_cancelled:
                return
            try:
                lesson = self.as_opened(load(str(path)))
                if cache.load(lesson) is None:
                    cache.save(lesson, steps.build(lesson))
            except LessonError:
                continue  # listed as broken already

    def as_opened(self, lesson):
        """The lesson as the tutor opens it: with --scaffold, at that level."""
        if self.app.scaffold:  # --scaffold: more or less help than the lesson's own
            from dataclasses import replace

            return replace(lesson, scaffold=self.app.scaffold)
        return lesson

    @on(OptionList.OptionSelected, "#lessons")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.open(event.option.id)

    @on(Input.Submitted, "#path")
    def typed(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.open(event.value.strip())

    def open(self, spec: str) -> None:
        try:
            lesson = load(spec)
        except LessonError as error:
            self.notify(
                texts.escape(str(error)), title=t("tui.cannot_open"), severity="error", timeout=10
            )
            return
        self.app.push_screen(LessonScreen(self.as_opened(lesson)))
