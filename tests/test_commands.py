"""The palette provider and the help screen, driven through a real palette and a real Library."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from margin.search.library import Library
from margin.search.models import DocumentMeta
from margin.tui.commands import MarginCommands, TitleMatcher, Typed, split_verb
from margin.tui.help import HelpScreen, bindings_markdown
from margin.tui.themes import THEME_VARIABLE_DEFAULTS, load_themes
from textual.app import App, ComposeResult
from textual.command import CommandInput, CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets import Markdown, Static

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    base = tmp_path_factory.mktemp("palette")
    patch = pytest.MonkeyPatch()
    patch.setenv("MARGIN_CACHE_DIR", str(base / "cache"))
    corpus = shutil.copytree(ROOT / "seeds", base / "seeds")
    lib = Library(corpus)
    lib.sync()
    yield lib
    lib.close()
    patch.undo()


class PaletteApp(App[None]):
    """Just what the provider needs from margin's app, recording each call."""

    COMMANDS = App.COMMANDS | {MarginCommands}

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self.searched: list[str] = []
        self.opened: list[str] = []
        self.reindexed = 0
        for theme in load_themes(ROOT / "themes", ROOT / "no-user-themes")[0]:
            self.register_theme(theme)

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(THEME_VARIABLE_DEFAULTS)

    def compose(self) -> ComposeResult:
        yield Static("page")

    def action_search_for(self, query: str) -> None:
        self.searched.append(query)

    def open_document(self, doc_id: str) -> None:
        self.opened.append(doc_id)

    def action_reindex(self) -> None:
        self.reindexed += 1

    def action_help(self) -> None:
        self.push_screen(
            HelpScreen([("Everywhere", "| key | action |\n|---|---|\n| `q` | quit |")])
        )


async def _until(pilot: Pilot[None], done: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.05)


def _top_hit(app: App[None]) -> str:
    if not isinstance(app.screen, CommandPalette):
        return ""
    commands = app.screen.query_one(CommandList)
    if not commands.option_count:
        return ""
    option = commands.get_option_at_index(0)
    return str(getattr(getattr(option, "hit", None), "text", ""))


async def _run(pilot: Pilot[None], typed: str, expect_top: str, *, keys: bool = False) -> None:
    """Open the palette, enter ``typed`` (key by key, or pasted to keep the suite fast), wait
    for ``expect_top`` to be the first hit, and choose it."""
    app = pilot.app
    await pilot.press("ctrl+p")
    await _until(pilot, lambda: isinstance(app.screen, CommandPalette))
    if keys:
        await pilot.press(*typed)
    else:
        app.screen.query_one(CommandInput).value = typed
    await _until(pilot, lambda: _top_hit(app).startswith(expect_top))
    await pilot.press("enter")
    await _until(pilot, lambda: not isinstance(app.screen, CommandPalette))


def test_split_verb() -> None:
    assert split_verb("open: Tehran talks") == Typed("open", "Tehran talks")
    assert split_verb(" Theme :light") == Typed("theme", "light")
    assert split_verb("person:lavrov") == Typed(None, "person:lavrov")
    assert split_verb("iran") == Typed(None, "iran")


async def test_search_command(library: Library) -> None:
    app = PaletteApp(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await _run(pilot, "search: lavrov", "search: lavrov", keys=True)
        assert app.searched == ["lavrov"]
        assert app.opened == []


async def test_open_by_fuzzy_title(library: Library) -> None:
    taliban = next(m for m in library.documents() if m.title.startswith("Taliban"))
    app = PaletteApp(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await _run(pilot, "open: talibn asad", "open: Taliban")
        # without a verb, a close title still outranks "search: …"
        await _run(pilot, "taliban assad unite", "open: Taliban")
        assert app.opened == [taliban.id, taliban.id]
        assert app.searched == []


async def test_a_word_without_title_match_offers_search(library: Library) -> None:
    app = PaletteApp(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await _run(pilot, "xqzzy", "search: xqzzy")
        assert app.searched == ["xqzzy"]


async def test_theme_reindex_and_help_commands(library: Library) -> None:
    app = PaletteApp(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await _run(pilot, "theme: contrast", "theme: margin-contrast")
        assert app.theme == "margin-contrast"
        await _run(pilot, "reindex", "reindex")
        assert app.reindexed == 1
        await _run(pilot, "help: keys", "help: keys")
        await _until(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert "quit" in str(app.screen.query_one(Markdown).source)
        await pilot.press("q")  # closes help, does not quit
        await _until(pilot, lambda: not isinstance(app.screen, HelpScreen))
        assert app.is_running


async def test_help_screen_scrolls_and_closes_with_each_key() -> None:
    long = "| key | action |\n|---|---|\n" + "".join(f"| `{i}` | row {i} |\n" for i in range(30))
    app = App[None]()
    async with app.run_test(size=(60, 12)) as pilot:
        for close in ("escape", "q", "question_mark"):
            app.push_screen(HelpScreen([("Reader", "### Reader\n" + long), ("Everywhere", long)]))
            await _until(pilot, lambda: bool(app.screen.query("#help-body")))
            body = app.screen.query_one("#help-body")
            titles = [str(s.render()) for s in app.screen.query(".help-title").results(Static)]
            assert titles == ["Reader", "Everywhere"]
            # the repeated "### Reader" heading was dropped from the first table
            assert not str(app.screen.query(Markdown).first().source).startswith("###")
            await pilot.press("j", "j", "space")
            await _until(pilot, lambda b=body: b.scroll_y > 2)
            await pilot.press("G")
            await _until(pilot, lambda b=body: b.scroll_y == b.max_scroll_y)
            await pilot.press(close)
            await _until(pilot, lambda: not isinstance(app.screen, HelpScreen))


async def test_bindings_markdown_merges_keys_and_shows_ids() -> None:
    from textual.binding import Binding

    app = App[None]()
    async with app.run_test():
        table = bindings_markdown(
            app,
            [
                Binding("n", "hit(1)", "Next hit", id="reader.next_hit"),
                Binding("ctrl+n", "hit(1)", "Next hit", id="reader.next_hit"),
                Binding("j", "down", "", id="reader.down"),
                Binding("question_mark", "help", "Help | keys", id="app.help"),
            ],
        )
    rows = table.strip().splitlines()
    assert rows[2] == "| `n` `^n` | Next hit | reader.next_hit |"
    assert rows[3] == "| `?` | Help \\| keys | app.help |"
    assert len(rows) == 4


async def test_open_stays_fast_on_100k_titles(library: Library) -> None:
    """Matching is bounded: 100k titles are prepared once, then each keystroke is cheap."""
    words = ["Iran", "Russia", "talks", "oil", "Tehran", "Moscow", "sanctions", "treaty", "Putin"]
    docs = [
        DocumentMeta(
            id=f"d{i}.txt",
            path=Path(f"/x/d{i}.txt"),
            title=f"{words[i % 9]} {words[i * 7 % 9]} report {i} {words[i * 5 % 9]}",
        )
        for i in range(100_000)
    ]
    app = PaletteApp(library)
    async with app.run_test():
        app.documents = docs  # type: ignore[attr-defined]
        provider = MarginCommands(app.screen)
        provider._post_init()
        started = time.perf_counter()
        first = [hit async for hit in provider._search("open: tehran moscow")]
        first_s = time.perf_counter() - started
        started = time.perf_counter()
        second = [hit async for hit in provider._search("open: putin oil report 4")]
        second_s = time.perf_counter() - started
    assert 0 < len(first) <= 20 and 0 < len(second) <= 20
    assert all(str(h.text).startswith("open: ") for h in first)
    print(f"100k titles: first query {first_s * 1000:.0f} ms, next {second_s * 1000:.0f} ms")


def test_title_matcher_tiers_and_narrowing() -> None:
    titles = [
        "Iran and Russia sign a defence pact",
        "Moscow talks: Tehran wants more",
        "Oil prices fall",
        "Russian-Iranian cooperation in communications",
    ]
    matcher = TitleMatcher(titles)
    ranked = [i for i, _ in matcher.rank("tehran moscow", 5)]
    assert ranked == [1]  # only title 1 contains both words
    # typing on narrows the previous answer; a different query starts over
    assert [i for i, _ in matcher.rank("tehran moscow talks", 5)] == [1]
    assert [i for i, _ in matcher.rank("oil", 5)] == [2]
    # words at word starts rank first: "iran" starts a word in 0, only inside one in 3
    assert [i for i, _ in matcher.rank("iran", 5)][:2] == [0, 3]
    # a typo in every word still finds the title, above "search: …" (0.55)
    typo = matcher.rank("cooperaton comunications", 5)
    assert typo[0][0] == 3 and typo[0][1] > 0.55
    assert matcher.rank("x", 5) == [] and matcher.rank("zzzz qqqq", 5) == []
