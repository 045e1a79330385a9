"""margin's commands in the ``ctrl+p`` palette: ``search:``, ``open:``, ``theme:``, ``reindex``.

Typing ``open: tehran`` (or just ``tehran``) lists documents whose titles match. Titles are
matched with :func:`rapidfuzz.process.extract` over a list prepared once per palette opening,
in a thread, with a result limit: Textual's per-item fuzzy matcher is fine for a few dozen
commands but far too slow for 100k titles on every keystroke. A verb followed by a colon
restricts the palette to that verb; without one, every kind of command competes on score.

The provider expects the app to offer (see :class:`MarginAppCommands`): ``library``
(:class:`margin.search.library.Library`), ``action_search_for(text)``, ``open_document(doc_id)``,
``action_reindex()`` and ``action_help()``; an app may also hold the catalogue already loaded
in ``documents`` (a list of :class:`~margin.search.models.DocumentMeta`), which is then used as is.
"""

from __future__ import annotations

import asyncio
import heapq
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, cast

from margin.search.models import DocumentMeta
from rapidfuzz import fuzz, process, utils
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

if TYPE_CHECKING:
    from margin.search.library import Library

OPEN_LIMIT = 20
"""Documents offered per keystroke."""
OPEN_DEBOUNCE = 0.12
"""Seconds of typing pause before titles are matched (the palette batches hits per 0.25 s)."""
MIN_CHARS = 2
"""Shorter input matches too many titles to be useful."""
OPEN_CUTOFF = 60.0
"""rapidfuzz WRatio below which a title is not offered (0-100)."""
CONTAINED_SCORE = 0.7
"""Lowest score of a title that contains every typed word: above ``search: <text>``."""
FUZZY_WEIGHT = 0.9
"""Scales rapidfuzz's 0-100 WRatio for titles found only by fuzzy matching (typos)."""
SEARCH_SCORE = 0.55
"""Score of ``search: <text>`` when no verb was typed: above weak title matches."""
VERBS = ("search", "open", "theme", "reindex", "help", "accept", "kwic", "tag", "undo", "save")

CORPUS_WORK = (
    ("kwic", "kwic: current query", "action_kwic", "Every hit in context (K)"),
    (
        "tag",
        "tag: every result of the query",
        "action_tag_results",
        "Tag every matching document (asks first, with the count)",
    ),
    ("undo", "undo: last bulk action", "action_undo_bulk", "Reverse the last bulk action"),
    ("save", "save: current query", "action_save_search", "Save the query by name (S)"),
)
"""Commands offered when the app has the action (``verb``, label, app method, help)."""


class MarginAppCommands(Protocol):
    """What :class:`MarginCommands` calls on the app."""

    library: Library | None

    def action_search_for(self, query: str) -> None: ...
    def open_document(self, doc_id: str) -> None: ...
    def action_reindex(self) -> None: ...
    def action_help(self) -> None: ...
    def action_accept_problems(self) -> None: ...


@dataclass(frozen=True, slots=True)
class Typed:
    """The palette input split into an optional verb and its argument."""

    verb: str | None
    text: str


def split_verb(query: str) -> Typed:
    """``"open: tehran"`` → ``Typed("open", "tehran")``; text without a known verb stays whole."""
    head, colon, rest = query.partition(":")
    verb = head.strip().lower()
    if colon and verb in VERBS:
        return Typed(verb, rest.strip())
    return Typed(None, query.strip())


class MarginCommands(Provider):
    """Palette commands for the corpus: search, open a document, switch theme, re-index."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._documents: list[DocumentMeta] | None = None
        self._titles = TitleMatcher([])
        self._loading: asyncio.Task[None] | None = None

    @property
    def _app(self) -> MarginAppCommands:
        return cast(MarginAppCommands, self.app)

    # -- hits ------------------------------------------------------------------------------

    async def discover(self) -> Hits:
        """What the palette shows before anything is typed."""
        yield DiscoveryHit("reindex", self._app.action_reindex, help="Re-index the corpus now")
        yield DiscoveryHit("help: keys", self._app.action_help, help="Every key, and its id")
        for name in self._theme_names():
            yield DiscoveryHit(f"theme: {name}", self._theme_setter(name), help="Switch theme")

    async def search(self, query: str) -> Hits:
        typed = split_verb(query)
        for hit in self._command_hits(typed, query):
            yield hit
        if typed.verb in (None, "open") and typed.text:
            for hit in await self._open_hits(typed.text):
                yield hit

    def _command_hits(self, typed: Typed, query: str) -> Iterator[Hit]:
        if typed.text and typed.verb in (None, "search"):
            score = 1.0 if typed.verb else SEARCH_SCORE
            yield Hit(
                score,
                Content.from_markup("search: [b]$text[/b]", text=typed.text),
                self._searcher(typed.text),
                text=f"search: {typed.text}",
                help="Search the corpus",
            )
        if typed.verb in (None, "theme"):
            yield from self._theme_hits(typed)
        for verb, label, callback, help_text in self._plain_commands():
            if typed.verb in (None, verb):
                yield from self._matched(query, label, callback, help_text)

    def _plain_commands(self) -> list[tuple[str, str, Any, str]]:
        app = self._app
        return [
            ("reindex", "reindex", app.action_reindex, "Re-index the corpus now"),
            ("help", "help: keys", app.action_help, "Every key of this pane, and its id"),
            (
                "accept",
                "accept: broken annotation file",
                app.action_accept_problems,
                "Keep the valid annotations of the open document's broken file (asks first)",
            ),
        ] + [
            (verb, label, callback, help_text)
            for verb, label, action, help_text in CORPUS_WORK
            if (callback := getattr(app, action, None)) is not None
        ]

    def _theme_hits(self, typed: Typed) -> Iterator[Hit]:
        for name in self._theme_names():
            label = f"theme: {name}"
            if typed.verb == "theme" and not typed.text:
                yield Hit(0.9, label, self._theme_setter(name), help="Switch theme")
            elif typed.text:
                yield from self._matched(
                    typed.text, label, self._theme_setter(name), "Switch theme"
                )

    def _matched(self, query: str, label: str, callback: Any, help_text: str) -> Iterator[Hit]:
        matcher = self.matcher(query)
        score = matcher.match(label)
        if score > 0:
            yield Hit(score, matcher.highlight(label), callback, text=label, help=help_text)

    async def _open_hits(self, text: str) -> list[Hit]:
        # Let a fast typist finish: a newer keystroke cancels this search during the pause,
        # so no thread is started for input that is already stale.
        await asyncio.sleep(OPEN_DEBOUNCE)
        documents, titles = await self._catalogue()
        if not documents:
            return []
        ranked = await asyncio.to_thread(titles.rank, text, OPEN_LIMIT)
        matcher = self.matcher(text)
        return [self._open_hit(documents[index], score, matcher) for index, score in ranked]

    def _open_hit(self, meta: DocumentMeta, score: float, matcher: Any) -> Hit:
        title = " ".join(meta.title.split()) or meta.id
        display = Content("open: ") + matcher.highlight(title)
        details = " · ".join(part for part in (meta.date, meta.source, meta.id) if part)
        return Hit(
            score,
            display,
            self._opener(meta.id),
            text=f"open: {title}",
            help=details,
        )

    # -- data ------------------------------------------------------------------------------

    async def _catalogue(self) -> tuple[Sequence[DocumentMeta], TitleMatcher]:
        """Documents and their prepared titles, read once per palette opening."""
        if self._documents is None:
            if self._loading is None:
                self._loading = asyncio.create_task(self._load())
            await asyncio.shield(self._loading)
        return self._documents or [], self._titles

    async def _load(self) -> None:
        documents = await asyncio.to_thread(self._read_documents)
        self._titles = await asyncio.to_thread(TitleMatcher, [d.title for d in documents])
        self._documents = documents

    def _read_documents(self) -> list[DocumentMeta]:
        loaded = getattr(self.app, "documents", None)
        if isinstance(loaded, list) and loaded:
            return loaded
        library = getattr(self.app, "library", None)
        return library.documents() if library is not None else []

    def _theme_names(self) -> list[str]:
        names = sorted(self.app.available_themes)
        ours = [n for n in names if n.startswith("margin-")]
        return ours + [n for n in names if n not in ours and n != "textual-ansi"]

    # -- callbacks -------------------------------------------------------------------------

    def _searcher(self, text: str) -> Any:
        return lambda: self._app.action_search_for(text)

    def _opener(self, doc_id: str) -> Any:
        return lambda: self._app.open_document(doc_id)

    def _theme_setter(self, name: str) -> Any:
        def switch() -> None:
            self.app.theme = name

        return switch


class TitleMatcher:
    """Ranks document titles for the palette; built once per palette opening.

    Three tiers, each much cheaper than fuzzy-scoring every title on every keystroke: titles
    containing every typed word (ranked by where the words fall, then WRatio); else titles
    containing some of them (WRatio, which forgives a typo in the others); else WRatio over
    everything with a cutoff (a typo in every word: the slow path). While the user types on,
    each word only grows, so the titles containing the previous words are the only ones that
    can contain the new ones: the scan narrows instead of starting over.
    """

    def __init__(self, titles: Sequence[str]) -> None:
        self.choices = [utils.default_process(title) for title in titles]
        self._last: tuple[list[str], list[int]] | None = None
        self._lock = threading.Lock()

    def rank(self, text: str, limit: int) -> list[tuple[int, float]]:
        """The best ``limit`` titles for ``text`` as ``(index, score 0-1)``, best first."""
        wanted = utils.default_process(text)
        words = wanted.split()
        if len(wanted) < MIN_CHARS:
            return []
        with self._lock:
            every = self._containing(words)
        if every:
            return self._rank_contained(wanted, words, every, limit)
        found = process.extract(
            wanted,
            self._with_longest_word(words) or self.choices,
            scorer=fuzz.WRatio,
            processor=None,
            limit=limit,
            score_cutoff=OPEN_CUTOFF,
        )
        return [(key, FUZZY_WEIGHT * score / 100) for _, score, key in found]

    def _with_longest_word(self, words: list[str]) -> dict[int, str]:
        """Titles containing the longest typed word that any title contains: a small set in
        which WRatio can forgive typos in the other words."""
        for word in sorted(words, key=len, reverse=True):
            subset = {i: t for i, t in enumerate(self.choices) if word in t}
            if subset:
                return subset
        return {}

    def _containing(self, words: list[str]) -> list[int]:
        """Indices of titles containing every word, narrowed from the last answer when it can."""
        choices = self.choices
        found: list[int] | None = None
        if self._last is not None:
            old_words, old_found = self._last
            if all(any(old in new for new in words) for old in old_words):
                found = old_found
        for word in sorted(words, key=len, reverse=True):
            if found is None:
                found = [i for i, title in enumerate(choices) if word in title]
            else:
                found = [i for i in found if word in choices[i]]
        self._last = (words, found or [])
        return found or []

    def _rank_contained(
        self, wanted: str, words: list[str], indices: list[int], limit: int
    ) -> list[tuple[int, float]]:
        choices = self.choices

        def placement(i: int) -> tuple[bool, int, int]:
            title = f" {choices[i]}"
            return wanted in title, sum(f" {w}" in title for w in words), -len(title)

        best = heapq.nlargest(limit, indices, key=placement)
        scored = [(i, placement(i), fuzz.WRatio(wanted, choices[i], processor=None)) for i in best]
        scored.sort(key=lambda row: (row[1], row[2]), reverse=True)
        return [(i, CONTAINED_SCORE + (1 - CONTAINED_SCORE) * r / 100) for i, _, r in scored]
