"""The user keymap: valid files remap bindings, bad entries are reported by line and skipped."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pytest
from margin.tui.keymap import check_key, load_keymap, parse_keymap
from textual.app import App
from textual.binding import Binding, BindingType


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "keymap.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_file_is_an_empty_keymap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MARGIN_CONFIG_DIR", str(tmp_path / "config"))
    assert load_keymap() == ({}, [])
    _write(tmp_path / "config", "app.quit: ctrl+q\n")
    assert load_keymap() == ({"app.quit": "ctrl+q"}, [])


def test_valid_forms(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "# comment\n"
        'reader.next_hit: "n, ctrl+n"\n'
        "reader.previous_hit: [N, ctrl+shift+n]\n"
        "app.help: '?'\n"
        "list.open: enter\n"
        "list.page_down: pagedown,space\n",
    )
    keymap, problems = load_keymap(path)
    assert problems == []
    assert keymap == {
        "reader.next_hit": "n,ctrl+n",
        "reader.previous_hit": "N,ctrl+shift+n",
        "app.help": "?",
        "list.open": "enter",
        "list.page_down": "pagedown,space",
    }


def test_empty_file_and_comments_only(tmp_path: Path) -> None:
    assert load_keymap(_write(tmp_path, "# nothing yet\n")) == ({}, [])


def test_bad_entries_are_reported_with_line_and_skipped(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "reader.next_hit: n\n"  # 1 ok
        "reader.toggle: no\n"  # 2 YAML boolean
        "reader.jump: 5\n"  # 3 YAML int
        "Reader Next: x\n"  # 4 not an id
        "reader.open: {a: b}\n"  # 5 mapping
        "reader.find: 'ctlr+f'\n"  # 6 bad modifier
        "reader.top: 'n,,g'\n"  # 7 empty key
        "reader.bottom: 'Page Down'\n"  # 8 not a key name
        "reader.next_hit: m\n",  # 9 duplicate, wins
    )
    keymap, problems = load_keymap(path)
    assert keymap == {"reader.next_hit": "m"}
    lines = [int(p.split(", line ")[1].split(":")[0]) for p in problems]
    assert lines == [2, 3, 4, 5, 6, 7, 8, 9]
    assert all(p.startswith(f"{path}, line ") for p in problems)
    assert "put it in quotes" in problems[0] and "bool" in problems[0]
    assert "int" in problems[1]
    assert "not a binding id" in problems[2]
    assert "unknown modifier 'ctlr'" in problems[4]
    assert "also set on line 1" in problems[7]


def test_invalid_yaml_and_wrong_shape(tmp_path: Path) -> None:
    keymap, problems = parse_keymap("app.quit: [ctrl+q\n", "k.yaml")
    assert keymap == {} and len(problems) == 1
    assert problems[0].startswith("k.yaml, line 2: invalid YAML")
    assert parse_keymap("- a\n- b\n", "k.yaml")[1] == [
        "k.yaml: expected a mapping of binding id to keys, e.g. app.quit: ctrl+q"
    ]


def test_unknown_ids_get_a_hint(tmp_path: Path) -> None:
    known = {"reader.next_hit", "reader.previous_hit", "app.quit"}
    keymap, problems = parse_keymap("reader.nxt_hit: x\napp.quit: q\n", "k", known)
    assert keymap == {"app.quit": "q"}
    assert problems == [
        "k, line 1: unknown binding id 'reader.nxt_hit'; did you mean 'reader.next_hit'?"
    ]


@pytest.mark.parametrize(
    "key", ["n", "N", "?", "/", "ctrl+n", "ctrl+shift+up", "f12", "+", "space"]
)
def test_check_key_accepts(key: str) -> None:
    check_key(key)


@pytest.mark.parametrize("key", ["", "ctrl+", "Page Down", "cmd+x", "ctrl++", "Enter!"])
def test_check_key_rejects(key: str) -> None:
    with pytest.raises(ValueError):
        check_key(key)


def test_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "keymap.yaml"
    path.write_bytes(b"app.quit: \xe9\n")
    assert load_keymap(path) == ({}, [f"{path}: cannot read (not UTF-8)"])


class PingApp(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("p", "ping", "Ping", id="app.ping")]

    def __init__(self) -> None:
        super().__init__()
        self.pings = 0

    def action_ping(self) -> None:
        self.pings += 1


async def test_keymap_remaps_a_real_binding(tmp_path: Path) -> None:
    keymap, problems = load_keymap(_write(tmp_path, "app.ping: 'x,ctrl+y'\n"), {"app.ping"})
    assert problems == []
    app = PingApp()
    async with app.run_test() as pilot:
        app.set_keymap(keymap)
        await pilot.press("p")
        assert app.pings == 0
        await pilot.press("x", "ctrl+y")
        assert app.pings == 2


# -- one source of truth: the ids come from the bindings, and the document follows them ------

DOCS = Path(__file__).resolve().parent.parent / "docs" / "keymap.md"


def _app_ids() -> set[str]:
    import margin.tui.app  # noqa: F401  (every pane and screen is declared once imported)
    from margin.tui.keymap import binding_ids
    from textual.dom import DOMNode

    return binding_ids(DOMNode)


def test_remappable_ids_are_the_declared_bindings() -> None:
    from margin.tui.widgets.annotations_pane import AnnotationsPane
    from margin.tui.widgets.reader import Reader

    ids = _app_ids()
    for cls in (Reader, AnnotationsPane):
        assert {b.id for b in cls.BINDINGS if isinstance(b, Binding)} <= ids
    assert "reader.previous_hit" in ids and "reader.prev_hit" not in ids
    assert not any(i.startswith("ping.") or i == "app.ping" for i in ids)  # test apps are not
    _, problems = parse_keymap("reader.prev_hit: N\n", "k", ids)
    assert problems == [
        "k, line 1: unknown binding id 'reader.prev_hit'; did you mean 'reader.previous_hit'?"
    ]


def test_the_keymap_document_lists_every_binding_as_declared() -> None:
    from margin.tui.keymap_doc import render

    text = DOCS.read_text(encoding="utf-8")
    assert render(text) == text, "docs/keymap.md is stale: python -m margin.tui.keymap_doc"


def test_every_id_the_documents_name_exists() -> None:
    import re

    import margin.tui.keymap as keymap_module

    ids = _app_ids()
    for text in (DOCS.read_text(encoding="utf-8"), keymap_module.__doc__ or ""):
        named = set(
            re.findall(
                r"(?<!')\b((?:app|reader|list|search|entities|annotations|editor|"
                r"merge|help|confirm)\.[a-z_]+)(?![.\w])",
                text,
            )
        )
        assert named and named <= ids, sorted(named - ids)
