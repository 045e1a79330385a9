"""The entities pane's corrections: merge, hide, kind, split, un-hide and undo, as key actions.

A base class of the pane, so the pane file keeps to listing and marking. Each action asks what
it needs (a prompt), then runs one :class:`~margin.tui.entity_corrections.Corrector` step in a
thread worker; the step writes ``entities.yaml`` and the pane reloads, so the change shows at
once in the list, and the next ``person:`` search is widened by the new merge.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from margin.search.entities import Entity
from margin.tui import entities as view
from margin.tui.entity_corrections import Corrector, Outcome, parse_kind
from margin.tui.widgets.entities_rows import reason
from margin.tui.widgets.entity_prompts import NamePrompt
from margin.tui.widgets.merge_prompt import MergePrompt
from textual import on, work
from textual.message import Message
from textual.widgets import OptionList

if TYPE_CHECKING:
    from margin.search.library import Library
    from textual.notifications import SeverityLevel


class CorrectionActions(OptionList):
    """The correction keys of the entities pane (``m x k u U H``)."""

    library: Library | None
    entities: tuple[Entity, ...]
    _known: tuple[Entity, ...]
    _keep: str | None
    _corrector: Corrector | None = None

    @property
    def current(self) -> Entity | None:
        """The entity under the cursor (the pane says which)."""
        raise NotImplementedError

    def reload(self) -> None:
        """Ask the engine again (the pane does)."""
        raise NotImplementedError

    class _Edited(Message):
        """entities.yaml was written (or could not be): say so and reload."""

        def __init__(self, outcome: Outcome) -> None:
            super().__init__()
            self.outcome = outcome

    @work(thread=True, group="entities-edit", exit_on_error=False)
    def _correct_worker(self, step: Callable[[], Outcome]) -> None:
        """Run one correction (it writes entities.yaml) and report what it did."""
        try:
            outcome = step()
        except Exception as error:
            outcome = Outcome(f"Could not write entities.yaml: {reason(error)}", failed=True)
        self.post_message(self._Edited(outcome))

    @on(_Edited)
    def _edited(self, message: _Edited) -> None:
        outcome = message.outcome
        severity: SeverityLevel = "warning" if outcome.problems else "information"
        self.notify(
            "\n".join([outcome.text, *outcome.problems[:3]]),
            title="Entities",
            severity="error" if outcome.failed else severity,
        )
        if outcome.failed:
            return
        if outcome.keep:
            self._keep = outcome.keep
        self.reload()

    @property
    def corrector(self) -> Corrector | None:
        """The corrections of this session (with their undo stack), once a library is set."""
        if self.library is None:
            return None
        if self._corrector is None or self._corrector.library is not self.library:
            self._corrector = Corrector(self.library)
        return self._corrector

    def action_merge(self) -> None:
        entity, corrector = self.current, self.corrector
        if entity is None or corrector is None:
            return
        names = view.completion_names(self._known or self.entities, entity.kind, entity.name)

        def merge(canonical: str | None) -> None:
            if canonical and canonical.casefold() != entity.name.casefold():
                self._correct_worker(lambda: corrector.merge(entity, canonical))

        self.app.push_screen(MergePrompt(entity.name, names, blink=self._blink), merge)

    def action_hide(self) -> None:
        entity, corrector = self.current, self.corrector
        if entity is not None and corrector is not None:
            self._correct_worker(lambda: corrector.hide(entity))

    def action_kind(self) -> None:
        """``k``: list the entity under another kind (person, organisation, place, other)."""
        entity, corrector = self.current, self.corrector
        if entity is None or corrector is None or entity.kind in view.NUMERIC_KINDS:
            return
        choices = [view.KIND_LABELS[k] for k in view.KIND_ORDER[:4] if k != entity.kind]

        def chosen(text: str | None) -> None:
            kind = parse_kind(text or "")
            if text and kind is None:
                self.notify(f"“{text}” is not a kind: {', '.join(choices)}.", severity="warning")
            elif kind is not None and kind != entity.kind:
                self._correct_worker(lambda: corrector.set_kind(entity, kind))

        question = f"List “{entity.name}” under ({', '.join(choices)}):"
        prompt = NamePrompt("Entity kind", question, choices, "enter · → complete · esc cancel")
        prompt.blink = self._blink
        self.app.push_screen(prompt, chosen)

    def action_split(self) -> None:
        """``U``: undo the saved merges into the entity under the cursor."""
        entity, corrector = self.current, self.corrector
        if entity is not None and corrector is not None:
            self._correct_worker(lambda: corrector.split(entity))

    def action_undo(self) -> None:
        """``u``: take back the last correction of this session."""
        corrector = self.corrector
        if corrector is not None:
            self._correct_worker(corrector.undo)

    def action_unhide(self) -> None:
        """``H``: show a hidden name again (completes from entities.yaml's hide list)."""
        corrector = self.corrector
        if corrector is None:
            return
        names = corrector.hidden()
        if not names:
            self.notify("No hidden names.", timeout=2)
            return

        def chosen(name: str | None) -> None:
            if name:
                self._correct_worker(lambda: corrector.unhide(name))

        prompt = NamePrompt("Show again", "Hidden name to show again:", names, "enter · esc")
        prompt.blink = self._blink
        self.app.push_screen(prompt, chosen)

    @property
    def _blink(self) -> bool:
        return bool(getattr(self.app, "blink", True))
