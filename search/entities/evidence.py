"""Corpus-wide evidence that a surface is not the name it looks like.

A document alone cannot tell that "PC" is a common noun or that "Conservative" is the
adjective of a party; the corpus can, from how the same surface is used everywhere else.
Every rule reads only the extracted mentions (counts, kinds, documents), so it works on any
corpus and needs no list of the names it rejects.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from margin.search.entities.extractor import NAME_KINDS
from margin.search.entities.lexicon import listed_place_acronyms, shipped_lexicon
from margin.search.entities.names import clean, is_acronym, plain
from margin.search.models import Mention

Surface = tuple[str, str]  # (kind, cleaned surface)

PLURAL_SHARE = 0.2
"""An acronym is a common noun when the corpus writes its plural ("PCs", "DVDs", "MPs") at
least this often for each singular: organisations are not counted in the plural."""


def plural_acronyms(counts: Counter[Surface]) -> set[str]:
    """Plain forms of acronyms the corpus uses as countable nouns, with their plurals."""
    total: Counter[str] = Counter()
    acronyms = set()
    for (kind, surface), n in counts.items():
        if kind in NAME_KINDS:
            key = plain(surface)
            total[key] += n
            if is_acronym(surface):
                acronyms.add(key)
    found = set()
    for key in acronyms:
        plural = total[key + "s"]
        if plural >= 3 and plural >= PLURAL_SHARE * total[key]:
            found |= {key, key + "s"}
    return found


UNNAMED_DOCS = 3
"""A one-word "person" in this many documents that is never the last word of a longer person
name in the corpus is not taken for a person: news introduces people by full name, so "Yukos",
"Chelsea" or "Sony" tagged as people across a corpus are companies and clubs (they get
``second_kind``). A word the corpus writes first in people's names ("Jim Smith") is a given
name and stays a person."""


def unnamed_people(
    counts: Counter[Surface], spread: Counter[Surface], kinds: dict[str, str]
) -> list[str]:
    """Plain one-word surfaces mostly tagged PERSON that no full name in the corpus explains."""
    named = given_names(counts)
    for kind, surface in counts:
        words = plain(surface).split(" ")
        if kind == "PERSON" and len(words) > 1:
            named.add(words[-1])
    docs: Counter[str] = Counter()
    for (kind, surface), n in spread.items():
        if kind in NAME_KINDS:
            docs[plain(surface)] += n
    return [
        s
        for s, kind in kinds.items()
        if kind == "PERSON" and " " not in s and s not in named and docs[s] >= UNNAMED_DOCS
    ]


def unlisted_acronym_places(
    kinds: dict[str, str], spelled: Mapping[str, Counter[str]]
) -> list[str]:
    """Plain surfaces taken for places that are acronyms no place list writes in capitals.

    The tagger learned from wire copy whose headlines are in capitals, where most such words
    are places ("JAPAN GET LUCKY WIN"); in running text an acronym is nearly always an
    organisation (CoNLL-2003 training: 968 organisations and 125 places among 1,478). So an
    acronym keeps the place kind only when a list of places knows it in capitals ("UK",
    "NY", "U.S."); "AMA" is not the town of Ama."""
    known = {name.replace(".", "") for name in listed_place_acronyms(shipped_lexicon())}
    return [
        key
        for key, kind in kinds.items()
        if kind == "PLACE"
        and key not in known
        and is_acronym(spelled[key].most_common(1)[0][0])  # not "JAPAN" in a headline
    ]


def second_kind(key: str, votes: Counter[str], refused: str) -> str:
    """The kind for a plain surface refused ``refused``: the other kind it was given at least
    a quarter of the time, else ORG. A place only if a place list knows the word: "Sony",
    tagged a person 67 times and a place 46 in BBC News, is a company, not a town."""
    total = sum(votes.values())
    places = shipped_lexicon().gazetteers.get("LOC", frozenset())
    for kind, n in votes.most_common():
        if kind != refused and n >= total / 4 and (kind != "PLACE" or key in places):
            return kind
    return "ORG"


def given_names(counts: Counter[Surface]) -> set[str]:
    """Plain words the corpus writes first in a person's full name ("Jim" in "Jim Smith") at
    least as often as last, that the shipped lexicon knows as given names ("Sony" in a
    mistagged "Sony Ericsson" is not)."""
    known = shipped_lexicon().first_names
    starts: Counter[str] = Counter()
    ends: Counter[str] = Counter()
    for (kind, surface), n in counts.items():
        words = plain(surface).split(" ")
        if kind == "PERSON" and len(words) > 1:
            starts[words[0]] += n
            ends[words[-1]] += n
    # A word the corpus writes last in names more often than first is used as a surname
    # there ("Clinton": Bill Clinton 122 times, Clinton Gore twice), whatever the lexicon says.
    return {w for w, n in starts.items() if w in known and n >= ends[w]}


def member_forms(counts: Counter[Surface], kinds: dict[str, str]) -> dict[str, str]:
    """Singular organisation surfaces whose plural the corpus also names as an organisation,
    mapped to that plural: "Conservative" (the adjective, or one member) -> "Conservatives",
    "Lib Dem" -> "Lib Dems", "Tory" -> "Tories". A party or a team is named in the plural; the
    singular is its adjective, and listing it apart would count the party twice. Only when
    the plural is the more frequent form, and never for acronyms ("PCs" makes "PC" a common
    noun, see ``plural_acronyms``)."""
    spelled: dict[str, Counter[str]] = defaultdict(Counter)
    for (kind, surface), n in counts.items():
        if kind in NAME_KINDS:
            spelled[plain(surface)][clean(surface)] += n
    out = {}
    for key, kind in kinds.items():
        if kind != "ORG" or not key[-1:].isalpha():
            continue
        singular = spelled[key]
        if any(s.rsplit(" ", 1)[-1].isupper() for s in singular):
            continue  # "PC"/"PCs", "Labour MP"/"Labour MPs": a countable noun, not a party
        for plural in (key + "s", key[:-1] + "ies" if key.endswith("y") else ""):
            if (
                plural
                and kinds.get(plural) == "ORG"
                and sum(spelled[plural].values()) >= sum(singular.values())
            ):
                out[key] = spelled[plural].most_common(1)[0][0]
                break
    return out


HEAD_CHARS = 60
HEAD_SHARE = 0.9
HEAD_DOCS = 5
"""A name written in at least ``HEAD_DOCS`` documents, nearly only (``HEAD_SHARE``) in their
first ``HEAD_CHARS`` characters while those documents go on naming other things, is a repeated
subject line or site banner, not something the texts talk about: 20 Newsgroups replies repeat
their thread's subject ("Study Out On Gay Percentage" in 87 posts), web pages their site's
name. Surfaces are compared case-folded, so a wire dateline ("LONDON (Reuters) -") still counts
with the city's mentions in the stories."""


def headline_only(mentions_by_doc: Mapping[str, Sequence[Mention]]) -> set[str]:
    """Plain name surfaces found almost only at the head of longer documents."""
    head: Counter[str] = Counter()
    total: Counter[str] = Counter()
    docs: Counter[str] = Counter()
    for mentions in mentions_by_doc.values():
        if not mentions or mentions[-1].start < 4 * HEAD_CHARS:
            continue
        seen = set()
        for m in mentions:
            if m.kind in NAME_KINDS:
                key = plain(m.text)
                total[key] += 1
                if m.start < HEAD_CHARS:
                    head[key] += 1
                    seen.add(key)
        docs.update(seen)
    return {k for k, n in docs.items() if n >= HEAD_DOCS and head[k] >= HEAD_SHARE * total[k]}
