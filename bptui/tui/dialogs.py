"""The boxes over a lesson: the summary and the help. Loaded when first opened."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from bptui.tui import texts
from bptui.tui.chrome import footer, localize_bindings


class Dialog(ModalScreen):
    """A box over the lesson: the summary or the help."""

    DEFAULT_CSS = """
    Dialog {
        align: center middle;
    }
    Dialog .dialog {
        width: 96;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    """


class SummaryScreen(Dialog):
    BINDINGS = [
        Binding("escape,enter,f8", "close", "Back to the lesson", id="close"),
        Binding("ctrl+r", "restart", "Restart the lesson", id="restart_lesson"),
    ]

    def __init__(self, session):
        super().__init__()
        localize_bindings(self)
        self.session = session

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog"):
            yield Static(texts.summary(self.session), id="summary")
        yield footer()

    def action_close(self) -> None:
        self.dismiss(False)

    def action_restart(self) -> None:
        self.dismiss(True)


class HelpScreen(Dialog):
    BINDINGS = [Binding("escape,f1,enter", "close", "Close", id="close_help")]

    def __init__(self):
        super().__init__()
        localize_bindings(self)

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog"):
            yield Static(texts.help_text(), id="help")
        yield footer()

    def action_close(self) -> None:
        self.dismiss(None)
