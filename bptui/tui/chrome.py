"""What every screen of the tutor shares: the key bar's words, the key bar, and the notice shown
instead of a screen when the terminal is too small."""

from __future__ import annotations

from dataclasses import replace

from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Static

from bptui.i18n import t
from bptui.tui import texts

MIN_WIDTH, MIN_HEIGHT = 80, 24


def localize_bindings(node) -> None:
    """The key bar's words in the current language: each binding with an id has a translation."""
    table = node._bindings.key_to_bindings
    for key, bindings in table.items():
        table[key] = [replace(b, description=t(f"key.{b.id}")) if b.id else b for b in bindings]


def footer():
    from textual.widgets import Footer  # not needed for the first frame

    return Footer()


class TutorScreen(Screen):
    """A screen that says so, instead of drawing garbage, when the terminal is too small."""

    def __init__(self) -> None:
        super().__init__()
        localize_bindings(self)

    def on_resize(self, event: Resize) -> None:
        self.check_size(event.size.width, event.size.height)

    def check_size(self, width: int, height: int) -> None:
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        was_small = self.has_class("too-small")
        self.set_class(small, "too-small")
        if was_small and not small:
            self.call_after_refresh(self.focus_main)  # the hidden box lost focus: give it back
        if small:
            message = texts.too_small(width, height, MIN_WIDTH, MIN_HEIGHT)
            notice = self.query("#too-small")
            if notice:
                notice.first(Static).update(message)
            else:  # made only when needed: one widget less in every first frame
                self.mount(Static(message, id="too-small"))

    def focus_main(self) -> None:
        """Focus the widget the learner types into (each screen names it)."""
