"""The user's entity corrections as reversible steps: merge, hide, re-kind, and their undo.

Every step writes ``<corpus>/.margin/entities.yaml`` through the engine (one locked, atomic
write) and remembers how to take itself back, touching only the names it changed, so ``u``
undoes the last correction even after other edits of the file. Plain code without widgets:
the entities pane runs these in a thread worker and reports the :class:`Outcome`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from margin.search.entities import NAME_KINDS, Entity, EntityConfig, config_path, edit_config
from margin.search.entities.names import plain
from margin.tui import entities as view

if TYPE_CHECKING:
    from margin.search.library import Library

KIND_WORDS = {
    **{k.lower(): k for k in NAME_KINDS},
    **{view.KIND_LABELS[k].lower(): k for k in NAME_KINDS},
    "people": "PERSON",
    "org": "ORG",
    "organisation": "ORG",
    "organization": "ORG",
    "location": "PLACE",
    "other": "MISC",
}
"""What the kind prompt accepts ("org", "Places", "person"...), case-insensitive."""


def parse_kind(text: str) -> str | None:
    """The kind a typed word means, or None."""
    return KIND_WORDS.get(" ".join(text.split()).lower())


@dataclass
class Outcome:
    """What a correction did: the message to show, file problems, and the row to keep."""

    text: str
    problems: list[str] = field(default_factory=list)
    keep: str | None = None
    failed: bool = False


@dataclass
class _Saved:
    """The entries of entities.yaml one step changed, as they were before it."""

    aliases: dict[str, list[str] | None] = field(default_factory=dict)
    kinds: dict[str, str | None] = field(default_factory=dict)
    hide: list[str] | None = None

    def restore(self, config: EntityConfig) -> None:
        for name, surfaces in self.aliases.items():
            config.aliases.pop(name, None)
            if surfaces is not None:
                config.aliases[name] = surfaces
        for name, kind in self.kinds.items():
            config.kinds.pop(name, None)
            if kind is not None:
                config.kinds[name] = kind
        if self.hide is not None:
            config.hide = self.hide


class Corrector:
    """Applies corrections for one library and keeps the undo stack of this session."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.undo_stack: list[tuple[str, _Saved]] = []

    def merge(self, entity: Entity, canonical: str) -> Outcome:
        """``entity`` (all its spellings) becomes ``canonical`` (and takes its kind)."""
        target = view.find_entity(self.library.corpus_entities(), canonical, entity.kind)
        canonical = target.name if target else canonical
        kind = target.kind if target and target.kind != entity.kind else None
        # the target's own spellings too: a name the user chose stops the automatic spelling
        # merge, so "Sergey Shoygu" would otherwise split from "Sergei Shoigu"
        also = [*entity.aliases, *(target.aliases if target else ())]

        def change(config: EntityConfig) -> None:
            for name in (entity.name, *also):
                config.add_merge(name, canonical)
            if kind is not None:
                config.set_kind(canonical, kind)

        names = (canonical, entity.name, *also)
        problems = self._step(f"merge of “{entity.name}”", change, aliases=names, kinds=names)
        text = f"Merged “{entity.name}” into “{canonical}” (entities.yaml; u undoes)"
        return Outcome(text, problems, f"{kind or entity.kind}\x1f{canonical}")

    def hide(self, entity: Entity) -> Outcome:
        problems = self._step(f"hiding “{entity.name}”", lambda c: c.hide_name(entity.name))
        return Outcome(f"Hid “{entity.name}” (entities.yaml, hide:; u undoes)", problems)

    def set_kind(self, entity: Entity, kind: str) -> Outcome:
        """``entity`` is of ``kind`` from now on (its spellings follow the name)."""

        def change(config: EntityConfig) -> None:
            config.clear_kind(entity.name)
            config.set_kind(entity.name, kind)

        problems = self._step(f"kind of “{entity.name}”", change, kinds=(entity.name,))
        label = view.KIND_LABELS.get(kind, kind)
        text = f"“{entity.name}” is now listed under {label} (entities.yaml; u undoes)"
        return Outcome(text, problems, f"{kind}\x1f{entity.name}")

    def unhide(self, name: str) -> Outcome:
        problems = self._step(f"showing “{name}”", lambda c: c.unhide(name))
        return Outcome(f"Showing “{name}” again (entities.yaml; u undoes)", problems)

    def split(self, entity: Entity) -> Outcome:
        """Undo the saved merges into ``entity`` (from any session)."""
        freed: list[str] = []
        names = (entity.name, *entity.aliases)
        problems = self._step(
            f"split of “{entity.name}”",
            lambda c: freed.extend(c.unmerge(entity.name)),
            aliases=names,
        )
        if not freed:
            self.undo_stack.pop()
            return Outcome(f"“{entity.name}” has no merges of yours to undo.", problems)
        text = f"Split {', '.join(f'“{n}”' for n in freed)} from “{entity.name}” (u undoes)"
        return Outcome(text, problems)

    def undo(self) -> Outcome:
        """Take back the last correction of this session."""
        if not self.undo_stack:
            return Outcome("Nothing to undo.")
        what, saved = self.undo_stack.pop()
        problems = self._write(saved.restore)
        return Outcome(f"Undid the {what}.", problems)

    def hidden(self) -> list[str]:
        """The names hidden in entities.yaml, for the un-hide prompt."""
        return list(self.library.entities.corrections().hide)

    def _step(
        self,
        what: str,
        change: Callable[[EntityConfig], object],
        aliases: Sequence[str] = (),
        kinds: Sequence[str] = (),
    ) -> list[str]:
        """Write ``change``, first remembering the entries it may touch."""
        saved = _Saved()

        def apply(config: EntityConfig) -> None:
            for name in aliases:
                for key in [k for k in config.aliases if plain(k) == plain(name)] or [name]:
                    current = config.aliases.get(key)
                    saved.aliases.setdefault(key, list(current) if current else None)
            for name in kinds:
                for key in [k for k in config.kinds if plain(k) == plain(name)] or [name]:
                    saved.kinds.setdefault(key, config.kinds.get(key))
            saved.hide = list(config.hide)
            change(config)

        problems = self._write(apply)
        self.undo_stack.append((what, saved))
        return problems

    def _write(self, change: Callable[[EntityConfig], None]) -> list[str]:
        problems = edit_config(config_path(self.library.root), change)
        self.library.entities.invalidate()
        return sorted(set(problems))
