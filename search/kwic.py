"""Keyword in context: every hit of a query across the corpus, one line each, computed lazily.

A common word on a large corpus has 100,000 hits in 10,000 documents, so little is computed
up front: one search lists the best :data:`FIRST_DOCUMENTS` matching documents (in relevance
order, as the result list shows them) with the hit spans of the first :data:`FIRST_SPANS`,
enough for the first screens. The other documents and all spans come from one more engine
search over the postings, no text read
(:meth:`Concordance.count`, ~0.2 s for 4,000 documents of 20 Newsgroups; asked one document
at a time, :meth:`Library.spans` costs ~10 ms each). Spans are always the engine's own, the
same the reader highlights. Context needs the document's text, so only the documents of the
lines actually shown are read; their lines are kept in an LRU.

Sorting by relevance, document or date orders documents, so it stays lazy. Sorting by the word
after or before the hit needs that word for every hit, which means reading every matching
document once (~1 ms a document on 20 Newsgroups): :meth:`Concordance.sort` does it in the
caller's thread, cancellable, keeping only the sort keys (a short string per hit).
"""

from __future__ import annotations

import bisect
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from margin.search.models import Hit, Span

if TYPE_CHECKING:
    from margin.search.library import Library

log = logging.getLogger("margin.kwic")

Sort = Literal["relevance", "document", "date", "after", "before"]
SORTS: tuple[Sort, ...] = ("relevance", "document", "date", "after", "before")
FIRST_SPANS = 64
"""Documents whose spans come with the opening search: the first screens need no more."""
FIRST_DOCUMENTS = 200
"""Documents the opening search lists (reading every hit's stored fields costs ~60 µs each)."""
CONTEXT = 60
TITLE_CHARS = 32
_LINE_CACHE_DOCS = 512
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w[\w'’-]*")

Cancel = Callable[[], bool]
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class KwicLine:
    """One hit in context.

    Attributes:
        doc_id: The document id.
        date: The document's date (``YYYY-MM-DD`` or shorter), or ``None``.
        title: The title, cut to :data:`TITLE_CHARS` characters.
        left: Up to ``context`` characters before the hit, whitespace collapsed.
        hit: The hit's text, whitespace collapsed.
        right: Up to ``context`` characters after the hit, whitespace collapsed.
        start: The hit's start offset in the document's normalised text.
        end: The hit's end offset (exclusive).
    """

    doc_id: str
    date: str | None
    title: str
    left: str
    hit: str
    right: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Doc:
    id: str
    title: str
    date: str | None


class Concordance:
    """The KWIC view of one query: a list of lines, paged with :meth:`lines`.

    Thread use: build it, then call :meth:`count` and :meth:`sort` from a worker; :meth:`lines`
    is quick for a window whose lines are cached (:meth:`is_ready`) and otherwise reads the
    window's documents (a few ms). One lock serialises the internal caches, so a paint waits
    for a worker's step rather than racing it.
    """

    def __init__(
        self,
        library: Library,
        query: str,
        *,
        context: int = CONTEXT,
        first: int = FIRST_SPANS,
        first_documents: int = FIRST_DOCUMENTS,
    ) -> None:
        """Run the query for its best ``first_documents``, with spans for the ``first`` best
        (one search; the rest of the documents come with :meth:`count`)."""
        self.library = library
        self.query = query
        self.context = context
        results = library.search(query, limit=max(first, first_documents), snippets=0, spans=first)
        self.problems = results.problems
        self._matching = results.total
        self._docs = [_Doc(h.id, _short(h.title), h.date) for h in results.hits]
        self._spans: dict[int, tuple[Span, ...]] = {
            i: h.spans for i, h in enumerate(results.hits[:first])
        }
        self._filled = len(self._docs) >= results.total and len(self._spans) == len(self._docs)
        self.sort_key: Sort = "relevance"
        self._doc_order = list(range(len(self._docs)))
        self._prefix = [0]  # lines before the k-th document of _doc_order, k = len - 1
        self._word_order: list[tuple[int, int]] | None = None
        self._lines: OrderedDict[int, tuple[KwicLine, ...]] = OrderedDict()
        self._lock = threading.RLock()

    # -- size ------------------------------------------------------------------------------

    @property
    def documents(self) -> int:
        """How many documents match."""
        return max(self._matching, len(self._docs))

    @property
    def total(self) -> int | None:
        """The number of lines, or ``None`` while not every document's hits are counted."""
        if self._filled and len(self._prefix) > len(self._docs):
            return self._prefix[-1]
        return None

    @property
    def known(self) -> int:
        """A lower bound of the number of lines: those counted so far (exact when done)."""
        return self._prefix[-1]

    def count(self, cancel: Cancel | None = None) -> int:
        """Count every line (call from a worker): every document and its spans from one engine
        search over the postings, no text read, run outside the lock so painting goes on
        meanwhile. Returns the total (the lower bound so far if cancelled)."""
        if not self._filled:
            found = self._all_hits()
            with self._lock:
                self._apply(found)
        with self._lock:
            while len(self._prefix) <= len(self._docs):
                if cancel is not None and cancel():
                    break
                self._extend_prefix()
        return self.known

    def _all_hits(self) -> tuple[Hit, ...]:
        """Every matching document with its spans: ~0.3 s for 4,000 documents of 20
        Newsgroups, against ~10 ms a document asked one by one (a search each)."""
        return self.library.search(self.query, limit=None, snippets=0, spans=1 << 30).hits

    def _apply(self, hits: tuple[Hit, ...]) -> None:
        """Take the full result list: documents not yet listed go after the first ones (in
        relevance order), so lines already shown keep their positions."""
        index = {doc.id: i for i, doc in enumerate(self._docs)}
        for hit in hits:
            i = index.get(hit.id)
            if i is None:
                i = index[hit.id] = len(self._docs)
                self._docs.append(_Doc(hit.id, _short(hit.title), hit.date))
                self._doc_order.append(i)  # only relevance order is ever this partial
            self._spans.setdefault(i, hit.spans)
        self._matching = len(self._docs)
        self._filled = True

    # -- order -----------------------------------------------------------------------------

    def sort(
        self, key: Sort, cancel: Cancel | None = None, progress: Progress | None = None
    ) -> bool:
        """Order the lines by relevance (the result list's order), document id, date, or the
        word after/before the hit, then by offset. All but relevance need every document
        counted, and the word orders read every matching document: call from a worker.
        Returns False if cancelled, leaving the previous order."""
        if key not in SORTS:
            raise ValueError(f"sort must be one of {', '.join(SORTS)}")
        if key in ("after", "before"):
            order = self._words_order(key, cancel, progress)
            if order is None:
                return False
            with self._lock:
                self._word_order, self.sort_key = order, key
            return True
        if key != "relevance":
            self.count(cancel)
            if cancel is not None and cancel():
                return False
        docs = range(len(self._docs))
        if key == "date":
            ordered = sorted(docs, key=lambda i: (self._docs[i].date or "9999", self._docs[i].id))
        elif key == "document":
            ordered = sorted(docs, key=lambda i: self._docs[i].id)
        else:
            ordered = list(docs)
        with self._lock:
            self._doc_order, self._word_order, self.sort_key = ordered, None, key
            self._prefix = [0]
            while (
                len(self._prefix) <= len(self._docs)
                and self._doc_order[len(self._prefix) - 1] in self._spans
            ):
                self._extend_prefix()  # no engine call: these spans are known
        return True

    def _words_order(
        self, key: Sort, cancel: Cancel | None, progress: Progress | None
    ) -> list[tuple[int, int]] | None:
        self.count(cancel)
        keyed: list[tuple[str, int, int, int]] = []
        for n, i in enumerate(self._doc_order):
            if cancel is not None and cancel():
                return None
            text = self.library.text_of(self._docs[i].id) or ""
            for j, span in enumerate(self._spans.get(i, ())):
                keyed.append((_neighbour(text, span, key), i, span.start, j))
            if progress is not None and n % 200 == 0:
                progress(n, len(self._docs))
        keyed.sort()
        return [(i, j) for _, i, _, j in keyed]

    # -- lines -----------------------------------------------------------------------------

    def lines(self, start: int, count: int) -> list[KwicLine]:
        """Lines ``[start, start + count)`` of the view (fewer at the end)."""
        start, count = max(0, start), max(0, count)
        with self._lock:
            if self._word_order is not None:
                picked = self._word_order[start : start + count]
                return [self._doc_lines(i)[j] for i, j in picked]
            found: list[KwicLine] = []
            position = start
            while len(found) < count and self._reach(position):
                k = bisect.bisect_right(self._prefix, position) - 1
                doc_lines = self._doc_lines(self._doc_order[k])
                offset = position - self._prefix[k]
                taken = doc_lines[offset : offset + count - len(found)]
                found.extend(taken)
                position += len(taken)
            return found

    def is_ready(self, start: int, count: int) -> bool:
        """True when :meth:`lines` for this window needs no document read (paint it now)."""
        with self._lock:
            if self._word_order is not None:
                return all(i in self._lines for i, _ in self._word_order[start : start + count])
            if self._prefix[-1] < min(start + count, self.total or start + count):
                return False
            ceiling = len(self._prefix) - 2
            first = min(bisect.bisect_right(self._prefix, start) - 1, ceiling)
            last = min(bisect.bisect_right(self._prefix, start + max(0, count - 1)) - 1, ceiling)
            return all(self._doc_order[k] in self._lines for k in range(first, last + 1))

    def __iter__(self) -> Iterator[KwicLine]:
        position = 0
        while True:
            window = self.lines(position, 200)
            if not window:
                return
            yield from window
            position += len(window)

    def targets(self, indexes: list[int] | None = None) -> list[tuple[str, int, int]]:
        """``(doc id, start, end)`` of the lines at ``indexes`` (every line when ``None``):
        what bulk tagging needs, without reading any text for lines not yet cached."""
        if indexes is None:
            self.count()
            return [
                (self._docs[i].id, s.start, s.end)
                for i in sorted(self._spans)
                for s in self._spans[i]
            ]
        found = []
        for index in sorted(set(indexes)):
            line = self.lines(index, 1)
            if line:
                found.append((line[0].doc_id, line[0].start, line[0].end))
        return found

    def _reach(self, position: int) -> bool:
        """Count documents until line ``position`` is inside them; False past the end."""
        while self._prefix[-1] <= position:
            if len(self._prefix) > len(self._docs):
                if self._filled:
                    return False
                self._apply(self._all_hits())
                continue
            self._extend_prefix()
        return True

    def _extend_prefix(self) -> None:
        k = len(self._prefix) - 1
        i = self._doc_order[k]
        self._prefix.append(self._prefix[-1] + len(self._spans_of(i)))

    def _spans_of(self, i: int) -> tuple[Span, ...]:
        spans = self._spans.get(i)
        if spans is None and not self._filled:
            self._apply(self._all_hits())
            spans = self._spans.get(i)
        if spans is None:  # the one search stopped at its time limit before this document
            spans = self.library.spans(self._docs[i].id, self.query)
            self._spans[i] = spans
        return spans

    def _doc_lines(self, i: int) -> tuple[KwicLine, ...]:
        cached = self._lines.get(i)
        if cached is not None:
            self._lines.move_to_end(i)
            return cached
        doc = self._docs[i]
        text = self.library.text_of(doc.id)
        spans = self._spans_of(i)
        if text is None:
            log.warning("KWIC: %s can no longer be read; its hits show without context", doc.id)
            text = ""
        made = tuple(_line(doc, text, s, self.context) for s in spans)
        self._lines[i] = made
        while len(self._lines) > _LINE_CACHE_DOCS:
            self._lines.popitem(last=False)
        return made


def _line(doc: _Doc, text: str, span: Span, width: int) -> KwicLine:
    left = _flat(text[max(0, span.start - 3 * width) : span.start])[-width:]
    right = _flat(text[span.end : span.end + 3 * width])[:width]
    hit = _flat(text[span.start : span.end])
    return KwicLine(doc.id, doc.date, doc.title, left, hit, right, span.start, span.end)


def _flat(text: str) -> str:
    return _SPACE.sub(" ", text)


def _short(title: str) -> str:
    title = _flat(title).strip()
    return title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1] + "…"


def _neighbour(text: str, span: Span, key: Sort) -> str:
    """The word right after (or right before) the hit, case-folded: the concordance key."""
    if key == "after":
        match = _WORD.search(text, span.end, span.end + 200)
        return match.group().casefold() if match else ""
    words = _WORD.findall(text, max(0, span.start - 200), span.start)
    return words[-1].casefold() if words else ""
