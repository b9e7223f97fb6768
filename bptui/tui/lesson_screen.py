"""The lesson screen: the diagram, the step card, the feedback and the answer box.

It only displays and dispatches: the steps, grading, score and persistence all live in
`bptui.session`. The engine (and numpy) load in a worker after the first frame is drawn.
"""

from __future__ import annotations

import time

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import ScrollableContainer, VerticalScroll
from textual.events import Resize
from textual.message import Message
from textual.widgets import Input, Static

from bptui.i18n import lesson_text, t
from bptui.lesson import Lesson
from bptui.tui import texts
from bptui.tui.chrome import MIN_WIDTH, TutorScreen, footer

DIAGRAM_LEAVES = 16  # rows left to the top bar, the card, the feedback, the box and the key bar


class AnswerBox(Input):
    """The answer box. Enter takes what is typed at that very key, so keys typed right after it
    start the next answer (Input's own Enter binding runs later, once the key has bubbled up to
    the App, by when they would have joined this one). A line typed into the terminal before the
    tutor took it over ends in ctrl+j: that is Enter too."""

    class Entered(Message):
        def __init__(self, box: AnswerBox, value: str) -> None:
            super().__init__()
            self.box = box
            self.value = value

        @property
        def control(self) -> AnswerBox:
            return self.box

    async def _on_key(self, event) -> None:
        if event.key in ("enter", "ctrl+j"):
            event.stop()
            event.prevent_default()
            value, self.value = self.value, ""
            self.post_message(self.Entered(self, value))
            return
        await super()._on_key(event)


def step_commands():
    """The palette's step list, imported when the palette first opens, not at start-up."""
    from bptui.tui.commands import StepCommands

    return StepCommands


class LessonScreen(TutorScreen):
    COMMANDS = {step_commands}
    BINDINGS = [
        Binding("f1", "app.help", "Help", id="help"),
        Binding("f2", "hint", "Hint", id="hint"),
        Binding("f3", "reveal", "Reveal", id="reveal"),
        Binding("f5", "previous", "Back", id="previous"),
        Binding("f6", "next", "Next", id="next"),
        Binding("f8", "summary", "Summary", id="summary", show=False),  # in the help; fits 80 cols
        Binding("ctrl+r", "restart", "Restart", id="restart"),
        Binding("escape", "leave", "Lessons", id="leave"),
        Binding("pageup", "scroll_card(-1)", show=False),
        Binding("pagedown", "scroll_card(1)", show=False),
        Binding("f7", "whole_network", "Network", id="network", show=False),  # in the help
        Binding("ctrl+f", "fill", "Fill in", id="fill"),  # only while a mastered skill is offered
    ]

    def __init__(
        self, lesson: Lesson, restart: bool = False, autoplay: float | None = None, answers=None
    ):
        super().__init__()
        self.lesson = lesson
        self.session = None
        self.topbar_width = 0
        self.start_afresh = restart
        self.feedback = ""
        self.restart_asked = 0.0
        self.autoplay = autoplay
        self.autoplay_answers = answers
        self.autoplay_timer = None
        self.paused = False
        self.pending: list[str] = []  # answers entered before the steps were ready, in order
        self.full_diagram = False  # F7: the whole network even where it does not fit
        self.away = False  # another screen was on top since the last drawing
        self.cached = None  # a session whose steps came from the cache, until it is ready

    def compose(self) -> ComposeResult:
        # Steps built on an earlier run come from the cache: the first frame shows step 1. The
        # screen is marked as drawn before its widgets are styled, which costs nothing now.
        self.cached = self.cached_session()
        if self.cached is not None:
            self.add_class("drawn", update=False)
        yield Static(self.topbar(), id="topbar")
        with ScrollableContainer(id="diagram-box"):
            yield Static(id="diagram")
        with VerticalScroll(id="card-box"):
            yield Static(texts.intro_card(self.lesson), id="card")
        yield Static(id="feedback")
        yield AnswerBox(placeholder=texts.placeholder_loading(), id="answer")

    def on_mount(self) -> None:
        self.check_size(self.app.size.width, self.app.size.height)
        self.query_one("#answer", Input).cursor_blink = self.app.cursor_blink
        self.query_one("#answer", Input).focus()
        # Without cached steps the lesson's own card comes first and the engine (numpy) builds
        # the steps right after; the key bar (a widget per binding, costly to style) always
        # follows the first frame.
        if self.cached is not None:
            self.ready(self.cached)
            self.cached = None
        self.call_after_refresh(self.after_first_frame)  # runs once the first frame is drawn

    def cached_session(self):
        from bptui import cache

        all_steps = cache.load(self.lesson)
        return None if all_steps is None else self.new_session(all_steps)

    def new_session(self, all_steps):
        from bptui.progress import Store
        from bptui.session import Session

        lesson = self.lesson
        store = Store.of(lesson) if self.app.persist else None
        return Session(lesson, all_steps, store)

    async def after_first_frame(self) -> None:
        if self.session is None:
            self.prepare()
        import bptui.answers  # noqa: F401 - the grader, ready before the first Enter

        await self.mount(footer())
        self.refresh_bindings()  # the footer listens from its mount on

    @work(thread=True, exclusive=True, group="prepare")
    def prepare(self) -> None:
        """The engine and the saved progress, off the UI thread: the first frame does not wait."""
        from bptui import cache, steps
        from bptui.lesson import LessonError

        try:
            all_steps = steps.build(self.lesson)
        except LessonError as error:  # numbers out of range: the message `bptui check` gives
            self.app.call_from_thread(self.cannot_open, str(error))
            return
        session = self.new_session(all_steps)
        self.app.call_from_thread(self.ready, session)
        cache.save(self.lesson, all_steps)  # the next start shows step 1 in its first frame

    def cannot_open(self, message: str) -> None:
        """Back to the picker with the message, or, opened directly, exit 2 and say why."""
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
            self.app.notify(texts.escape(message), title=t("tui.cannot_open"), severity="error")
        else:
            self.app.error = message
            self.app.exit(return_code=2)

    def ready(self, session) -> None:
        self.session = session
        if self.start_afresh:
            session.restart()
        self.show()
        pending, self.pending = self.pending, []
        for text in pending:  # entered while the steps were being worked out
            self.submit(text)
        if self.autoplay is not None:
            self.start_autoplay()

    # --- drawing ---

    def show(self) -> None:
        session = self.session
        if session is None:
            return
        from bptui.diagram import draw

        step = session.step
        self.query_one("#topbar", Static).update(self.topbar())
        self.add_class("drawn")  # the diagram is hidden until there is something to draw
        width = max(self.app.size.width - 2, MIN_WIDTH - 4)  # the box spans the screen
        rows = max(self.app.size.height - DIAGRAM_LEAVES, 5)  # the card keeps its room
        picture = draw(session, step, width, rows, full=self.full_diagram)
        self.query_one("#diagram", Static).update(picture)
        card_width = self.app.size.width - 6  # the box's padding and scrollbar, as laid out
        self.query_one("#card", Static).update(texts.card(session, card_width))
        self.query_one("#feedback", Static).update(self.feedback)
        self.query_one("#answer", Input).placeholder = texts.placeholder(session)
        if session.notice:  # e.g. progress that could not be saved: said once
            self.notify(
                texts.escape(session.notice),
                title=t("tui.progress"),
                severity="warning",
                timeout=10,
            )
            session.notice = None

    def topbar(self) -> str:
        self.topbar_width = self.app.size.width
        room = self.topbar_width - 2 - 18  # the title keeps at least 16 cells
        status = texts.status(self.session, room) if self.session else texts.status_loading()
        return texts.topbar(lesson_text(self.lesson, "title"), status, self.topbar_width - 2)

    def on_resize(self, event: Resize) -> None:
        super().on_resize(event)
        if self.is_mounted and event.size.width != self.topbar_width:
            self.query_one("#topbar", Static).update(self.topbar())

    def on_screen_suspend(self) -> None:
        self.away = True  # help, summary, a step jump: drawn again on return

    def on_screen_resume(self) -> None:
        if self.away:
            self.show()
        self.away = False
        self.focus_main()

    def focus_main(self) -> None:
        box = self.query_one("#answer", Input)
        if not box.disabled:
            box.focus()

    # --- answering ---

    @on(AnswerBox.Entered, "#answer")
    def submitted(self, event: AnswerBox.Entered) -> None:
        self.submit(event.value)

    def submit(self, text: str) -> None:
        session = self.session
        text = text.strip()
        if session is None:  # kept, and graded the moment the steps are ready
            self.pending.append(text)
            return
        step = session.step
        if not text:
            if session.done(step):
                self.action_next()
            else:
                self.feedback = texts.empty_answer(step)
                self.show()
            return
        offered, before = session.mastered, list(session.offers)
        verdict = session.answer(text)
        self.feedback = texts.verdict(step, text, verdict)
        if session.mastered != offered:  # a skill just mastered, or its offer lapsed
            if session.mastered and session.mastered not in before:  # new, with steps left here:
                self.feedback += "\n" + texts.offer(session)  # said once (ctrl+f stays listed)
            self.refresh_bindings()
        if verdict.correct:
            self.advance()
        self.show()

    def advance(self) -> None:
        """On to the next step (past steps filled in; after the last, the first not done)."""
        session = self.session
        if session.finished:
            self.action_summary()
            return
        ahead = [i for i in range(session.position + 1, len(session.steps))
                 if not session.record(session.steps[i]).filled]  # fmt: skip
        undone = [i for i, step in enumerate(session.steps) if not session.done(step)]
        if ahead or undone:
            session.go((ahead or undone)[0])

    # --- autoplay: the lesson plays itself, for a lecture on a projector ---

    def start_autoplay(self) -> None:
        answer_box = self.query_one("#answer", Input)
        answer_box.disabled = True  # so space and other keys reach the screen
        self.autoplay_timer = self.set_interval(self.autoplay, self.autoplay_tick)
        self.notify(
            t("tui.autoplay_started"), title=t("tui.autoplay"), timeout=max(self.autoplay * 2, 4)
        )

    def stop_autoplay(self) -> None:
        if self.autoplay_timer is not None:
            self.autoplay_timer.stop()
            self.autoplay_timer = None
        answer_box = self.query_one("#answer", Input)
        answer_box.disabled = False
        answer_box.focus()
        self.notify(t("tui.autoplay_stopped"), title=t("tui.autoplay"), timeout=4)

    def autoplay_tick(self) -> None:
        session = self.session
        if self.paused or session is None:
            return
        step = session.step
        if session.done(step):
            if session.position == len(session.steps) - 1:
                self.autoplay_timer.stop()
                self.action_summary()
            else:
                self.goto(session.position + 1)
            return
        answers = self.autoplay_answers.answers if self.autoplay_answers else None
        text = step.shown if answers is None else answers.get(step.id)
        if text is None or session.record(step).answers:
            self.action_reveal()  # no answer for this step, or the file's answer was wrong
            return
        self.submit(text)

    def on_key(self, event) -> None:
        if self.autoplay_timer is None:
            self.keep_keystroke(event)
            return
        event.stop()
        if event.key == "space":
            self.paused = not self.paused
            self.notify(
                t("tui.autoplay_paused") if self.paused else t("tui.autoplay_resumed"), timeout=2
            )
        else:
            self.stop_autoplay()  # any other key: the learner takes over

    def keep_keystroke(self, event) -> None:
        """Keys that reach the screen rather than the answer box are the learner's answer too:
        typed before the box had focus (the first instants), or Enter arriving as ctrl+j (a line
        typed into the terminal before the tutor took it over)."""
        boxes = self.query("#answer")
        if not boxes or boxes.first(Input).disabled:
            return
        box = boxes.first(Input)
        if event.key in ("enter", "ctrl+j") and not box.has_focus:
            event.stop()
            value, box.value = box.value, ""
            self.submit(value)
        elif event.is_printable and event.character and not box.has_focus:
            event.stop()
            box.insert_text_at_cursor(event.character)
            box.focus()

    # --- actions ---

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "leave":  # only when there is a picker to go back to
            return len(self.app.screen_stack) > 1
        if action == "fill":  # only while a skill just mastered is on offer
            return self.session is not None and self.session.mastered is not None
        return True

    def action_fill(self) -> None:
        """ctrl+f: the tutor fills in the mastered skill's other steps of this lesson."""
        session = self.session
        if session is None or session.mastered is None:
            return
        skill = session.mastered
        n = session.fill(skill)
        self.feedback = texts.filled(n, skill)
        if session.mastered:  # an earlier offer still open: a reminder, not a second announcement
            self.feedback += "\n" + texts.offer(session, again=True)
        self.refresh_bindings()
        if session.record(session.step).filled:
            self.advance()
        self.show()

    def action_leave(self) -> None:
        """Back to the lesson picker, which shows the progress just made."""
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    def action_whole_network(self) -> None:
        """F7: the whole network, or the focused view of the current neuron, in turn."""
        self.full_diagram = not self.full_diagram
        self.show()

    def action_scroll_card(self, direction: int) -> None:
        """PgUp/PgDn scroll the step card, which a small terminal cannot show whole."""
        card = self.query_one("#card-box", VerticalScroll)
        card.scroll_page_down() if direction > 0 else card.scroll_page_up()

    def action_hint(self) -> None:
        if self.session is None:
            return
        hint = self.session.hint()
        if not hint:  # else the hint joins the card, and the last verdict stays in view
            self.feedback = f"[$text-muted]{t('tui.no_more_hints')}[/]"
        self.show()

    def action_reveal(self) -> None:
        if self.session is None:
            return
        self.session.reveal()
        self.feedback = texts.revealed(self.session.step)
        self.show()

    def goto(self, index: int) -> None:
        if self.session is None:
            return
        self.session.go(index)
        self.feedback = ""
        self.show()

    def action_previous(self) -> None:
        if self.session:
            self.goto(self.session.position - 1)

    def action_next(self) -> None:
        if self.session is None:
            return
        if self.session.position == len(self.session.steps) - 1:
            self.action_summary()
        else:
            self.goto(self.session.position + 1)

    def action_summary(self) -> None:
        if self.session is not None:
            from bptui.tui.dialogs import SummaryScreen

            self.app.push_screen(SummaryScreen(self.session), self.after_summary)

    def after_summary(self, restart: bool | None) -> None:
        if restart:
            self.restart()

    def action_restart(self) -> None:
        if self.session is None:
            return
        if time.monotonic() - self.restart_asked > 3:
            self.restart_asked = time.monotonic()
            self.notify(t("tui.restart_confirm"), title=t("tui.restart_title"), timeout=3)
            return
        self.restart()

    def restart(self) -> None:
        self.restart_asked = 0.0
        self.session.restart()
        self.feedback = f"[$warning]{t('tui.restarted')}[/]"
        self.show()
