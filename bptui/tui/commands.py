"""Jump to any step from the command palette (ctrl+p)."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


class StepCommands(Provider):
    """Jump to any step from the command palette (ctrl+p)."""

    def _steps(self):
        session = getattr(self.screen, "session", None)
        return [] if session is None else list(enumerate(session.steps))

    def _label(self, index: int, step, total: int) -> str:
        return f"Step {index + 1}/{total}: {step.symbol} ({step.phase})"

    async def discover(self) -> Hits:
        steps = self._steps()
        for index, step in steps:
            yield DiscoveryHit(
                self._label(index, step, len(steps)),
                partial(self.screen.goto, index),
                help=step.asks,
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        steps = self._steps()
        for index, step in steps:
            label = self._label(index, step, len(steps))
            score = matcher.match(f"{label} {step.id}")
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(label),
                    partial(self.screen.goto, index),
                    help=step.asks,
                )
