"""What each kind of character looks like in the reader, and that offsets never move.

The reader stylizes and hit-tests the display string with the text's own offsets, so every
character must stay exactly one display character; the cell widths must match what the
wrapper assumed (or be smaller) so a wrapped line never runs past the pane.
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import pytest
from margin.tui.wrap import ZERO_WIDTH, display_char, display_text, wrap_range
from rich.cells import cell_len, get_character_cell_size

# code point → what the reader shows (one character each)
TABLE = {
    # space separators (Zs): spaces, not "�"
    0x00A0: " ",  # no-break space
    0x1680: " ",  # ogham space mark
    0x2002: " ",  # en space
    0x2009: " ",  # thin space
    0x200A: " ",  # hair space
    0x202F: " ",  # narrow no-break space
    0x205F: " ",  # medium mathematical space
    0x3000: "\u3000",  # ideographic space stays a two-cell space
    # line and paragraph separators
    0x2028: " ",
    0x2029: " ",
    # invisible format characters (Cf): nothing, zero cells
    0x00AD: ZERO_WIDTH,  # soft hyphen
    0x200B: ZERO_WIDTH,  # zero-width space
    0x200C: ZERO_WIDTH,  # zero-width non-joiner
    0x200D: ZERO_WIDTH,  # zero-width joiner
    0x200E: ZERO_WIDTH,  # left-to-right mark
    0x200F: ZERO_WIDTH,  # right-to-left mark
    0x202A: ZERO_WIDTH,  # left-to-right embedding
    0x202E: ZERO_WIDTH,  # right-to-left override
    0x2060: ZERO_WIDTH,  # word joiner
    0x2066: ZERO_WIDTH,  # left-to-right isolate
    0x2069: ZERO_WIDTH,  # pop directional isolate
    0x061C: ZERO_WIDTH,  # Arabic letter mark
    0xFEFF: ZERO_WIDTH,  # byte order mark
    0xE0041: ZERO_WIDTH,  # tag latin capital A
    # C0 controls and DEL: control pictures; tab: a space
    0x0000: "\u2400",
    0x0009: " ",
    0x001B: "\u241b",
    0x001F: "\u241f",
    0x007F: "\u2421",
    # C1 controls, private use, lone surrogates, unassigned: the replacement character
    0x0085: "\ufffd",
    0x009B: "\ufffd",
    0xE000: "\ufffd",
    0xD800: "\ufffd",
    0x0378: "\ufffd",
    # printable characters are themselves
    0x0041: "A",
    0x00E9: "\u00e9",
    0x2014: "\u2014",
    0x4E2D: "\u4e2d",
    0x0301: "\u0301",  # combining acute accent
}


@pytest.mark.parametrize(("code", "shown"), sorted(TABLE.items()))
def test_each_code_point_has_a_deliberate_display(code: int, shown: str) -> None:
    assert display_char(chr(code)) == shown
    assert display_text(f"a{chr(code)}b") == f"a{shown}b"


def test_no_break_spaces_in_the_sample_corpus_show_as_spaces() -> None:
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    texts = [path.read_text("utf-8") for path in sorted(seeds.glob("*.txt"))]
    with_nbsp = [text for text in texts if "\xa0" in text]
    assert len(with_nbsp) >= 4
    for text in with_nbsp:
        shown = display_text(text)
        assert "\ufffd" not in shown
        assert "\xa0" not in shown


def test_every_code_point_keeps_one_character_and_no_more_cells_than_the_wrapper_counts() -> None:
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if char == "\n":
            continue
        shown = display_char(char)
        assert len(shown) == 1, hex(code)
        assert get_character_cell_size(shown) <= max(1, get_character_cell_size(char)), hex(code)


def test_nothing_that_moves_the_terminal_is_ever_shown() -> None:
    """No control, bidi override or joiner reaches the terminal, whatever the text holds."""
    text = "".join(chr(c) for c in range(0x3100) if c != 0x0A) + "\U000e0001\U000e007f"
    shown = display_text(text)
    assert len(shown) == len(text)
    allowed_invisible = {ZERO_WIDTH}
    for char in set(shown):
        category = unicodedata.category(char)
        assert category not in ("Cc", "Cs", "Co", "Cn", "Zl", "Zp"), hex(ord(char))
        if category == "Cf":
            assert char in allowed_invisible, hex(ord(char))


def test_wrapped_lines_with_special_characters_fit_the_width() -> None:
    text = ("word\xa0word \u200dx\x1b\u202e\u3000中文 \xad" * 40).strip()
    wrapped = wrap_range(text, 17, 0, len(text))
    for start, end in zip(wrapped.starts, wrapped.ends, strict=True):
        assert cell_len(display_text(text[start:end])) <= 17
    assert wrapped.starts[0] == 0 and wrapped.stop >= len(text)


async def test_the_reader_shows_a_no_break_space_as_a_space(tmp_path: Path) -> None:
    from margin.tui.app import MarginApp
    from margin.tui.widgets.reader import Reader
    from tui_helpers import screen_text, settle

    root = tmp_path / "texts"
    root.mkdir()
    body = "Spaces\n\nTen\xa0kilometres, a\u202fthin gap, an escape\x1b and a\u200bjoin.\n"
    (root / "spaces.txt").write_text(body, "utf-8")
    app = MarginApp(root, watch=False, blink=False)
    async with app.run_test(size=(160, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.query_one(Reader).document is not None
        screen = screen_text(app)
        assert "Ten kilometres, a thin gap, an escape\u241b and a\u200bjoin." in screen
        assert "\ufffd" not in screen
