"""``<corpus>/.margin/entities.yaml``: the user's corrections, which win over the automatic merge.

The file holds three things, all optional::

    aliases:            # canonical name -> the surfaces that mean it
      Sergey Lavrov: [Lavrov, S. Lavrov]
    kinds:              # name -> corrected kind
      Kremlin: ORG
    hide: [Comment, Reuters]   # names never to show

The app writes it when the user merges (``m``), hides (``x``) or re-kinds (``k``) an entity,
and undoes each (``u``), atomically and under a lock; a bad file is reported with its path and
line and the good parts still apply.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from margin.search.atomic import atomic_write
from margin.search.entities.extractor import KINDS
from margin.search.entities.names import plain
from margin.search.paths import corpus_state_dir

FILENAME = "entities.yaml"
_HEADER = (
    "# margin entity corrections: edit freely. They win over the automatic merge.\n"
    "# aliases: canonical name -> surfaces; kinds: name -> PERSON/ORG/PLACE/MISC/...;"
    " hide: names never shown.\n"
)


@dataclass
class EntityConfig:
    """The user's entity corrections (mutable: the app edits it, then saves it).

    Attributes:
        aliases: Canonical name -> surfaces that should resolve to it.
        kinds: Name (canonical or surface) -> the kind it really is.
        hide: Names (canonical or surface) never to show.
    """

    aliases: dict[str, list[str]] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    hide: list[str] = field(default_factory=list)

    def add_merge(self, alias: str, canonical: str) -> None:
        """Make ``alias`` (and anything already merged into it) resolve to ``canonical``."""
        if plain(alias) == plain(canonical):
            return
        moved = self.aliases.pop(alias, [])
        surfaces = self.aliases.setdefault(canonical, [])
        for name in (alias, *moved):
            if plain(name) not in {plain(s) for s in surfaces}:
                surfaces.append(name)

    def hide_name(self, name: str) -> None:
        """Never show ``name`` again (the ``x`` key)."""
        if plain(name) not in {plain(h) for h in self.hide}:
            self.hide.append(name)

    def set_kind(self, name: str, kind: str) -> None:
        """Correct the kind of ``name``."""
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
        self.kinds[name] = kind

    def unhide(self, name: str) -> bool:
        """Show ``name`` again; False when it was not hidden."""
        kept = [h for h in self.hide if plain(h) != plain(name)]
        changed = len(kept) != len(self.hide)
        self.hide = kept
        return changed

    def clear_kind(self, name: str) -> None:
        """Forget a kind correction of ``name`` (the automatic kind applies again)."""
        for key in [k for k in self.kinds if plain(k) == plain(name)]:
            del self.kinds[key]

    def unmerge(self, name: str) -> list[str]:
        """Undo the merges into ``name`` (or of ``name`` into another name).

        Returns:
            The surfaces set free, so the caller can say what changed (and merge them back).
        """
        key = plain(name)
        for canonical in list(self.aliases):
            if plain(canonical) == key:
                return self.aliases.pop(canonical)
        for canonical, surfaces in list(self.aliases.items()):
            kept = [s for s in surfaces if plain(s) != key]
            if len(kept) != len(surfaces):
                freed = [s for s in surfaces if plain(s) == key]
                if kept:
                    self.aliases[canonical] = kept
                else:
                    del self.aliases[canonical]
                return freed
        return []

    def alias_map(self) -> dict[str, str]:
        """Plain surface -> canonical name, canonical names included (they map to themselves)."""
        out = {plain(c): c for c in self.aliases}
        for canonical, surfaces in self.aliases.items():
            for surface in surfaces:
                out[plain(surface)] = canonical
        return out

    def kind_map(self) -> dict[str, str]:
        """Plain name -> corrected kind."""
        return {plain(n): k for n, k in self.kinds.items()}

    def hidden(self) -> frozenset[str]:
        """Plain names to drop."""
        return frozenset(plain(n) for n in self.hide)

    def dump(self) -> str:
        """The YAML text, header first, keys in a stable order, every name quoted."""
        import yaml  # deferred: extraction workers never need it

        data = {"aliases": self.aliases, "kinds": self.kinds, "hide": self.hide}
        body: str = yaml.safe_dump(
            data, allow_unicode=True, sort_keys=False, default_style='"', width=100
        )
        return _HEADER + body

    def save(self, path: Path) -> None:
        """Write atomically: temp file in the folder, flush, fsync, replace, fsync the folder."""
        atomic_write(path, self.dump())

    @classmethod
    def load(cls, path: Path) -> tuple[EntityConfig, list[str]]:
        """Read ``path``; a missing file is an empty config, a bad one yields problems."""
        from margin.search.entities.config_check import parse

        if not path.exists():
            return cls(), []
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            return cls(), [f"{path}: cannot read: {exc}"]
        aliases, kinds, hide, problems = parse(text, str(path))
        return cls(aliases, kinds, hide), problems


def config_path(root: Path) -> Path:
    """Where a corpus keeps its entity corrections."""
    return corpus_state_dir(root) / FILENAME


def edit_config(path: Path, change: Callable[[EntityConfig], None]) -> list[str]:
    """Read, change and save the config under a lock, so two processes never lose an edit.

    Returns:
        Problems found while reading the file (the change is still applied to its good parts).
    """
    from filelock import FileLock

    path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(path) + ".lock", timeout=10):
        config, problems = EntityConfig.load(path)
        change(config)
        config.save(path)
    return problems
