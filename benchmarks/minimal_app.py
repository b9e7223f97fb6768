"""The yardstick: a minimal Textual app, measured exactly as the tutor is."""

from textual.app import App
from textual.widgets import Input, Static


class Minimal(App):
    def compose(self):
        yield Static("minimal app ready", id="out")
        yield Input(id="in")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one("#out", Static).update(f"got {event.value}")


if __name__ == "__main__":
    Minimal().run()
