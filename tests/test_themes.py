"""Theme files: built-ins are complete and readable, bad user files are named and skipped."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from margin.tui.theme_contrast import check, ciede2000, reduce, theme_colours
from margin.tui.theme_contrast import contrast as contrast_ratio
from margin.tui.themes import (
    BUILTIN_NAMES,
    MARGIN_VARIABLES,
    THEME_VARIABLE_DEFAULTS,
    builtin_themes_dir,
    load_themes,
    read_theme,
)
from textual.app import App, ComposeResult
from textual.color import Color
from textual.widgets import Static

BUILTIN = Path(__file__).resolve().parent.parent / "themes"

GOOD = """\
name: paper
dark: false
primary: "#224488"
background: "#ffffff"
foreground: "#111111"
"""


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        v = value / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    c = Color.parse(colour)
    return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b)


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio between two colours (1 to 21)."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def errors(problems: list[str]) -> list[str]:
    """The files that were skipped (readability warnings are for themes that still load)."""
    return [p for p in problems if ": loaded, but hard to read: " not in p]


def _builtins() -> dict[str, object]:
    themes, problems = load_themes(BUILTIN, BUILTIN / "no-such-folder")
    assert problems == []
    return {t.name: t for t in themes}


def test_builtins_load_in_order_with_every_margin_variable() -> None:
    themes, problems = load_themes(BUILTIN, BUILTIN / "no-such-folder")
    assert problems == []
    assert [t.name for t in themes] == list(BUILTIN_NAMES)
    for theme in themes:
        missing = MARGIN_VARIABLES - set(theme.variables)
        assert not missing, f"{theme.name} lacks {sorted(missing)}"
        for name in MARGIN_VARIABLES:
            Color.parse(theme.variables[name])
    shipped = {p.name: p.read_bytes() for p in builtin_themes_dir().glob("*.yaml")}
    assert shipped == {p.name: p.read_bytes() for p in BUILTIN.glob("*.yaml")}


def test_defaults_are_the_dark_theme_values() -> None:
    dark = read_theme(BUILTIN / "margin-dark.yaml")
    assert {k: dark.variables[k] for k in THEME_VARIABLE_DEFAULTS} == THEME_VARIABLE_DEFAULTS


@pytest.mark.parametrize("name", BUILTIN_NAMES)
def test_builtin_text_is_readable(name: str) -> None:
    """WCAG AA (4.5) everywhere, AAA (7) in the high-contrast theme."""
    theme = read_theme(BUILTIN / f"{name}.yaml")
    need = 7.0 if name == "margin-contrast" else 4.5
    v, bg, fg = theme.variables, theme.background, theme.foreground
    assert bg and fg
    assert contrast(fg, bg) >= need
    for mark in ("margin-hit", "margin-hit-current", "margin-selection"):
        assert contrast(v[f"{mark}-text"], v[mark]) >= need, mark
    assert contrast(fg, v["margin-annotation"]) >= need
    for var in MARGIN_VARIABLES:
        if var.startswith(("margin-entity-", "margin-tag-")):
            assert contrast(v[var], bg) >= need, var
    assert len({v["margin-hit"], v["margin-hit-current"], v["margin-selection"]}) == 3


def test_contrast_theme_is_high_contrast() -> None:
    theme = read_theme(BUILTIN / "margin-contrast.yaml")
    assert theme.foreground and theme.background
    assert contrast(theme.foreground, theme.background) >= 7


def _user_dir(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "themes"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_bad_files_are_named_and_skipped(tmp_path: Path) -> None:
    user = _user_dir(
        tmp_path,
        {
            "good.yaml": GOOD,
            "broken.yaml": 'name: broken\nprimary: "#fff\nvariables: [\n',
            "colour.yaml": 'name: colour\nprimary: "#000000"\nbackground: "bleu"\n',
            "nameless.yml": 'primary: "#000000"\n',
            "varcolour.yaml": 'name: v\nprimary: "#000"\nvariables:\n  margin-hit: "nope"\n',
            "unknown.yaml": 'name: u\nprimary: "#000"\nprimry: "#111"\n',
            "list.yaml": "- a\n- b\n",
            "ignored.txt": "not a theme",
        },
    )
    themes, found = load_themes(BUILTIN, user)
    problems = errors(found)
    names = {t.name for t in themes}
    assert names == {*BUILTIN_NAMES, "paper"}
    assert len(problems) == 6
    by_file = {Path(p.split(":")[0].split(",")[0]).name: p for p in problems}
    assert set(by_file) == {
        "broken.yaml",
        "colour.yaml",
        "nameless.yml",
        "varcolour.yaml",
        "unknown.yaml",
        "list.yaml",
    }
    assert str(user / "broken.yaml") in by_file["broken.yaml"]
    assert "invalid YAML" in by_file["broken.yaml"] and ", line " in by_file["broken.yaml"]
    assert (
        ", line 3" in by_file["colour.yaml"] and "'bleu' is not a colour" in by_file["colour.yaml"]
    )
    assert "missing 'name'" in by_file["nameless.yml"]
    assert ", line 4" in by_file["varcolour.yaml"] and "margin-hit" in by_file["varcolour.yaml"]
    assert ", line 3" in by_file["unknown.yaml"] and "'primry'" in by_file["unknown.yaml"]
    assert "expected a mapping" in by_file["list.yaml"]
    assert all("\n" not in p for p in problems)


def test_user_theme_overrides_builtin_and_inherits_variables(tmp_path: Path) -> None:
    user = _user_dir(
        tmp_path,
        {
            "mine.yaml": 'name: margin-dark\nprimary: "#123456"\n'
            'variables:\n  margin-hit: "#00ff00"\n',
            "paper.yaml": GOOD,
        },
    )
    themes, problems = load_themes(BUILTIN, user)
    assert errors(problems) == []
    by_name = {t.name: t for t in themes}
    assert [t.name for t in themes][:3] == list(BUILTIN_NAMES)
    dark = by_name["margin-dark"]
    assert dark.primary == "#123456"
    assert dark.variables["margin-hit"] == "#00ff00"
    # left-out variables come from the built-in of the same lightness
    assert dark.variables["margin-tag-1"] == THEME_VARIABLE_DEFAULTS["margin-tag-1"]
    light = read_theme(BUILTIN / "margin-light.yaml")
    assert by_name["paper"].variables["margin-hit"] == light.variables["margin-hit"]


def test_textual_variables_are_allowed_but_checked(tmp_path: Path) -> None:
    user = _user_dir(
        tmp_path,
        {
            "ok.yaml": 'name: ok\nprimary: "#000"\nvariables:\n'
            '  footer-key-foreground: "#88C0D0"\n'
            '  input-selection-background: "#81a1c1 35%"\n'
            "  block-cursor-text-style: none\n",
            "typo.yaml": 'name: typo\nprimary: "#000"\nvariables:\n  footer-kye: "#fff"\n',
            "ours.yaml": 'name: ours\nprimary: "#000"\nvariables:\n  margin-hits: "#fff"\n',
        },
    )
    themes, found = load_themes(BUILTIN, user)
    problems = errors(found)
    assert "ok" in {t.name for t in themes}
    assert len(problems) == 2
    assert any("typo.yaml" in p and "footer-kye" in p for p in problems)
    assert any("ours.yaml" in p and "margin-hits" in p for p in problems)


def test_unreadable_and_non_utf8_files(tmp_path: Path) -> None:
    user = _user_dir(tmp_path, {})
    (user / "latin.yaml").write_bytes(b"name: caf\xe9\nprimary: '#000'\n")
    themes, problems = load_themes(BUILTIN, user)
    assert len(themes) == len(BUILTIN_NAMES)
    assert problems == [f"{user / 'latin.yaml'}: cannot read (not UTF-8)"]


class ThemedApp(App[None]):
    CSS = "Static { background: $margin-hit; color: $margin-hit-text; }"

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(THEME_VARIABLE_DEFAULTS)

    def compose(self) -> ComposeResult:
        yield Static("hit")


async def test_themes_register_and_switch_in_an_app() -> None:
    themes, _ = load_themes(BUILTIN, BUILTIN / "none")
    app = ThemedApp()
    async with app.run_test(size=(40, 5)) as pilot:
        for theme in themes:
            app.register_theme(theme)
        for theme in themes:
            app.theme = theme.name
            await pilot.pause()
            static = app.query_one(Static)
            assert static.styles.background == Color.parse(theme.variables["margin-hit"])
        app.theme = "textual-light"  # a Textual theme falls back to our defaults
        await pilot.pause()
        expected = Color.parse(THEME_VARIABLE_DEFAULTS["margin-hit"])
        assert app.query_one(Static).styles.background == expected


# -- readability: measured, in every palette (issue 8 item 7) -----------------------------------


def test_ciede2000_matches_the_published_test_data() -> None:
    """Sharma, Wu and Dalal (2005), pairs 1, 7, 17-20."""
    pairs = [
        ((50, 2.6772, -79.7751), (50, 0, -82.7485), 2.0425),
        ((50, 0, 0), (50, -1, 2), 2.3669),
        ((50, 2.5, 0), (73, 25, -18), 27.1492),
        ((50, 2.5, 0), (61, -5, 29), 22.8977),
        ((50, 2.5, 0), (56, -27, -3), 31.9030),
        ((50, 2.5, 0), (58, 24, 15), 19.4535),
    ]
    for lab1, lab2, expected in pairs:
        assert ciede2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)
    assert contrast_ratio((0, 0, 0), (255, 255, 255)) == pytest.approx(21)


@pytest.mark.parametrize("name", BUILTIN_NAMES)
def test_builtin_themes_pass_the_contrast_check_in_every_palette(name: str) -> None:
    assert check(read_theme(BUILTIN / f"{name}.yaml")) == []


def test_the_reported_colour_clashes_are_gone() -> None:
    """Light: unfocused borders were white on #fbfaf6. Dark, 256 colours: the hit background
    and the organisation colour both became 215."""
    light = theme_colours(read_theme(BUILTIN / "margin-light.yaml"))
    border = reduce(light["margin-border"], "truecolor")
    assert contrast_ratio(border, reduce(light["background"], "truecolor")) >= 3
    dark = theme_colours(read_theme(BUILTIN / "margin-dark.yaml"))
    assert reduce(dark["margin-hit"], "256") != reduce(dark["margin-entity-org"], "256")


def test_a_hard_to_read_user_theme_loads_with_a_warning_naming_the_pair(tmp_path: Path) -> None:
    user = _user_dir(
        tmp_path,
        {
            "grey.yaml": 'name: grey\ndark: true\nprimary: "#5fa8e8"\n'
            'background: "#16181d"\nforeground: "#3a3d44"\n'
        },
    )
    themes, problems = load_themes(BUILTIN, user)
    assert "grey" in {t.name for t in themes}
    [warning] = problems
    assert str(user / "grey.yaml") in warning
    assert "foreground on background" in warning and "needs 4.5" in warning


TEXT_SEPARATORS = "▏▕"
"""Decorative separators (the footer's): not needed to read anything, so not measured."""


@pytest.mark.parametrize("name", BUILTIN_NAMES)
async def test_what_the_screen_draws_is_readable(make_app: Any, name: str) -> None:
    """Every segment on the main screen with a document, hits and entities shown: text
    4.5:1, borders and scrollbars 3:1 against the colour behind them."""
    from margin.tui.widgets.reader import Reader
    from tui_helpers import settle

    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        app.theme = name
        await settle(pilot)
        await pilot.press("slash", *"iran", "enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.query_one(Reader).document is not None
        low = []
        for y, strip in enumerate(app.screen._compositor.render_strips()):
            for segment in strip:
                text, style = segment.text.strip(), segment.style
                if not text or style is None or style.color is None or style.bgcolor is None:
                    continue
                if all(c in TEXT_SEPARATORS for c in text) or style.dim:
                    continue
                fg, bg = style.color.get_truecolor(), style.bgcolor.get_truecolor()
                if style.reverse:
                    fg, bg = bg, fg
                graphic = all("\u2500" <= c <= "\u259f" for c in text)
                need = 3.0 if graphic else 4.5
                ratio = contrast_ratio(tuple(fg), tuple(bg))
                if ratio < need:
                    low.append(f"row {y} {text[:20]!r}: {ratio:.2f} (needs {need})")
        assert low == []
