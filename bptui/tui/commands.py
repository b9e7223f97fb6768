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
        from bptui.glossary import phase_name
        from bptui.i18n import t

        return t("tui.palette_step", k=index + 1, n=total, symbol=step.symbol,
                 phase=phase_name(step.phase))  # fmt: skip

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
