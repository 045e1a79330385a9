"""Boilerplate by evidence: a name written only on lines that many texts repeat word for word.

A spam quote pasted into 120 posts, a mailing list's footer, a press office's "About us"
paragraph, a wire's sign-off: the corpus repeats the very line the name sits on, where real
reporting words each story anew. Each text records, per name, the lines it is written on (as
short hashes, so nothing of the text is kept); across the corpus a name whose every line is
one of these repeated lines, in nearly all the texts that name it, is not something the texts
talk about. Texts are counted by content, so duplicated files never count twice.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from margin.search.entities.extractor import NAME_KINDS
from margin.search.entities.names import plain
from margin.search.models import Mention

REPEAT_TEXTS = 20
"""A line is boilerplate when at least this many different texts have it (a story syndicated
a few times over does not reach it; a signature or a pasted quote does)."""
REPEAT_SHARE = 0.8
"""A name is boilerplate when it is only on such lines in at least this share of its texts."""

Lines = Mapping[str, Sequence[str]]
"""Per text: plain name -> the hashes of the lines it is written on."""

_QUOTE = re.compile(r"^[\s>|:]+")


def name_lines(text: str, mentions: Sequence[Mention]) -> dict[str, list[str]]:
    """The lines each name of ``text`` is written on, as hashes of their normalised words
    (quote marks, case and spacing ignored: a quoted copy is the same line)."""
    found: dict[str, set[str]] = defaultdict(set)
    by_line: dict[tuple[int, int], str] = {}  # names share lines: each is hashed once
    for mention in mentions:
        if mention.kind not in NAME_KINDS:
            continue
        start = text.rfind("\n", 0, mention.start) + 1
        end = text.find("\n", mention.end)
        end = end if end >= 0 else len(text)
        digest = by_line.get((start, end))
        if digest is None:
            words = " ".join(_QUOTE.sub("", text[start:end]).split()).casefold()
            digest = by_line[start, end] = hashlib.blake2b(
                words.encode("utf-8"), digest_size=6
            ).hexdigest()
        found[plain(mention.text)].add(digest)
    return {name: sorted(hashes) for name, hashes in found.items()}


def boilerplate(lines_by_text: Mapping[str, Lines]) -> set[str]:
    """Plain names written, in nearly all their texts, only on lines many texts repeat."""
    texts_of_line: Counter[str] = Counter()
    for lines in lines_by_text.values():
        texts_of_line.update({h for hashes in lines.values() for h in hashes})
    texts: Counter[str] = Counter()
    repeated: Counter[str] = Counter()
    for lines in lines_by_text.values():
        for name, hashes in lines.items():
            texts[name] += 1
            if hashes and all(texts_of_line[h] >= REPEAT_TEXTS for h in hashes):
                repeated[name] += 1
    return {
        name
        for name, n in repeated.items()
        if n >= REPEAT_TEXTS and n >= REPEAT_SHARE * texts[name]
    }
