"""Theme files: YAML on disk → validated → :class:`textual.theme.Theme`.

Themes are user-editable files, so loading never raises: every bad file is skipped and
described in one line (path, line when known, what was expected) for a single error notice,
and the app keeps working with the themes that did load. Built-ins live in ``themes/`` next to
the package; user themes in ``<config folder>/themes/`` override a built-in of the same name.

Besides Textual's colours each theme defines margin's own variables (``margin-hit``,
``margin-entity-person``, ...) listed in :data:`THEME_VARIABLE_DEFAULTS`; the meaning of each is
documented in ``themes/README.md``. A user theme that leaves some of them out inherits them from
the built-in dark or light theme (matching its ``dark`` flag), so a five-line theme still has
readable hits.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from margin.search import bundled, paths
from margin.search.oneline import error_reason
from textual.color import Color, ColorParseError
from textual.design import ColorSystem
from textual.theme import Theme

log = logging.getLogger("margin.tui.themes")

SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when PyYAML was built with it (ten times faster), else the pure one."""

COLOUR_KEYS = (
    "primary",
    "secondary",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "warning",
    "error",
    "success",
    "boost",
)
"""Textual's theme colours; only ``primary`` is required."""

TOP_KEYS = frozenset({"name", "dark", "description", "variables", *COLOUR_KEYS})

THEME_VARIABLE_DEFAULTS: dict[str, str] = {
    "margin-hit": "#f2c14e",
    "margin-hit-text": "#16181d",
    "margin-hit-current": "#ff8a3d",
    "margin-hit-current-text": "#16181d",
    "margin-selection": "#2f5d94",
    "margin-selection-text": "#ffffff",
    "margin-annotation": "#3a3160",
    "margin-entity-person": "#7cc4ff",
    "margin-entity-org": "#c08a3c",
    "margin-entity-place": "#7fd18b",
    "margin-entity-misc": "#d896fc",
    "margin-entity-date": "#a8c030",
    "margin-entity-money": "#3cd2c6",
    "margin-entity-quantity": "#fcb4de",
    "margin-tag-1": "#ff7b72",
    "margin-tag-2": "#ea900c",
    "margin-tag-3": "#e3d26f",
    "margin-tag-4": "#7ee787",
    "margin-tag-5": "#56d4dd",
    "margin-tag-6": "#54aeea",
    "margin-tag-7": "#d2a8ff",
    "margin-tag-8": "#fc90c0",
    "margin-border": "#606672",
}
"""margin's own theme variables with the ``margin-dark`` values, for
``App.get_theme_variable_defaults()``: any theme (Textual's built-ins included) that does not
define a variable falls back to these, so CSS that uses ``$margin-hit`` always parses."""

MARGIN_VARIABLES = frozenset(THEME_VARIABLE_DEFAULTS)
TAG_COLOURS = 8
DEFAULT_THEME = "margin-dark"
BUILTIN_NAMES = ("margin-dark", "margin-light", "margin-contrast")

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$")
_ALPHA = re.compile(r"\s+\d{1,3}%$")


class ThemeError(ValueError):
    """One thing wrong with a theme file; the message is shown to the user as is."""


class InvalidKey(ThemeError):
    """A problem tied to one key (``primary``, ``variables.margin-hit``), so the file's line
    for that key can be added to the message."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key
        self.message = message


@dataclass(frozen=True, slots=True)
class ThemeFile:
    """A theme file that passed validation.

    Attributes:
        path: Where it was read from (shown in messages and the palette).
        theme: The Textual theme to register.
        builtin: True for the themes shipped with margin.
    """

    path: Path
    theme: Theme
    builtin: bool


def builtin_themes_dir() -> Path:
    """The shipped ``themes/`` folder (one lookup for every layout, in the engine)."""
    return bundled.themes_dir()


def user_themes_dir() -> Path:
    """``<config folder>/themes`` (``MARGIN_CONFIG_DIR`` moves it); not created here."""
    return paths.config_dir() / "themes"


def load_themes(builtin_dir: Path, user_dir: Path) -> tuple[list[Theme], list[str]]:
    """Load built-in then user themes; a user theme replaces a built-in with the same name.

    Args:
        builtin_dir: The shipped themes.
        user_dir: ``<config folder>/themes``; may not exist.

    Returns:
        The themes to register (built-ins first, in a stable order) and one message per bad
        file, e.g. ``"/home/a/.config/margin/themes/x.yaml, line 4: 'primary': 'bleu' is not
        a colour"``. Never raises.
    """
    builtins, problems = _load_dir(builtin_dir, builtin=True)
    users, user_problems = _load_dir(user_dir, builtin=False)
    by_name = {f.theme.name: f.theme for f in builtins}
    for found in users:
        _inherit_margin_variables(found.theme, by_name)
    for found in users:
        by_name[found.theme.name] = found.theme
        user_problems += _readability(found)
    return sorted(by_name.values(), key=_builtin_first), problems + user_problems


def _readability(found: ThemeFile) -> list[str]:
    """A warning naming the first pair a user theme draws too faint (it still loads)."""
    from margin.tui.theme_contrast import check

    failing = check(found.theme)
    if not failing:
        return []
    more = f" (and {len(failing) - 1} more)" if len(failing) > 1 else ""
    log.warning("theme %s is hard to read: %s", found.path, "; ".join(failing))
    return [f"{found.path}: loaded, but hard to read: {failing[0]}{more}"]


def _builtin_first(theme: Theme) -> tuple[int, str]:
    order = BUILTIN_NAMES.index(theme.name) if theme.name in BUILTIN_NAMES else len(BUILTIN_NAMES)
    return order, theme.name


def _load_dir(folder: Path, *, builtin: bool) -> tuple[list[ThemeFile], list[str]]:
    files: list[ThemeFile] = []
    problems: list[str] = []
    for path in _theme_paths(folder, problems):
        try:
            files.append(ThemeFile(path, read_theme(path), builtin))
        except ThemeError as error:
            problems.append(str(error))
    return files, problems


def _theme_paths(folder: Path, problems: list[str]) -> Iterable[Path]:
    try:
        paths = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".yaml", ".yml"))
    except FileNotFoundError:
        return []
    except OSError as error:
        problems.append(f"{folder}: cannot list themes ({error.strerror or error})")
        return []
    return [p for p in paths if not p.name.startswith(".")]


def read_theme(path: Path) -> Theme:
    """Read and validate one theme file.

    Raises:
        ThemeError: With the path, the line when known, and what was expected.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ThemeError(f"{path}: cannot read ({error_reason(error)})") from None
    try:
        data = yaml.load(text, Loader=SAFE_LOADER)  # a safe loader: plain data only
        lines = _key_lines(text)
    except yaml.YAMLError as error:
        raise ThemeError(
            f"{path}{_yaml_where(error)}: invalid YAML ({_yaml_problem(error)})"
        ) from None
    if not isinstance(data, dict):
        raise ThemeError(
            f"{path}: expected a mapping of keys (name, primary, ...), got {_kind(data)}"
        )
    try:
        return theme_from_mapping(data)
    except InvalidKey as problem:
        line = lines.get(problem.key)
        where = f", line {line}" if line else ""
        raise ThemeError(f"{path}{where}: {problem.message}") from None


def theme_from_mapping(data: dict[Any, Any]) -> Theme:
    """Validate a parsed theme mapping and build the :class:`Theme`.

    Raises:
        InvalidKey: Naming the offending key; :func:`read_theme` adds the path and line.
    """
    unknown = sorted(str(k) for k in data if k not in TOP_KEYS)
    if unknown:
        raise InvalidKey(unknown[0], f"unknown key {unknown[0]!r} (known: {_known_top()})")
    name = _name(data.get("name"))
    dark = data.get("dark", True)
    if not isinstance(dark, bool):
        raise InvalidKey("dark", f"'dark' must be true or false, got {dark!r}")
    colours = {key: _colour(key, data[key]) for key in COLOUR_KEYS if data.get(key) is not None}
    if "primary" not in colours:
        raise InvalidKey("primary", "missing 'primary' (a colour such as \"#5fa8e8\")")
    variables = _variables(data.get("variables"))
    theme = Theme(name=name, primary=colours["primary"], dark=dark, variables=variables)
    for key, value in colours.items():
        setattr(theme, key, value)
    return theme


def _name(value: object) -> str:
    if value is None:
        raise InvalidKey("name", "missing 'name' (the name shown in the theme picker)")
    if not isinstance(value, str) or not _NAME.match(value):
        raise InvalidKey(
            "name", f"'name' must be up to 64 letters, digits, '-', '_', '.', got {value!r}"
        )
    return value


def _colour(key: str, value: object) -> str:
    if not isinstance(value, str):
        raise InvalidKey(key, f"{key!r} must be a colour in quotes, got {value!r}")
    try:
        Color.parse(value)
    except ColorParseError:
        raise InvalidKey(
            key, f'{key!r}: {value!r} is not a colour (use "#rrggbb", rgb(...) or a name)'
        ) from None
    return value


def _variables(value: object) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InvalidKey("variables", f"'variables' must be a mapping, got {_kind(value)}")
    return {str(key): _variable(str(key), raw) for key, raw in value.items()}


def _variable(name: str, value: object) -> str:
    key = f"variables.{name}"
    if name in MARGIN_VARIABLES:
        return _colour_at(key, name, value)
    if name.startswith("margin-"):
        raise InvalidKey(key, f"unknown variable {name!r} (see themes/README.md for the list)")
    if name not in _textual_variables():
        raise InvalidKey(key, f"unknown variable {name!r} (neither margin's nor Textual's)")
    if not isinstance(value, str) or not value.strip():
        raise InvalidKey(key, f"variable {name!r} must be a string, got {value!r}")
    if not _is_style_or_reference(name, value):
        _colour_at(key, name, _ALPHA.sub("", value))
    return value


def _colour_at(key: str, name: str, value: object) -> str:
    try:
        return _colour(name, value)
    except InvalidKey as problem:
        raise InvalidKey(key, problem.message) from None


def _is_style_or_reference(name: str, value: str) -> bool:
    return name.endswith("style") or value.startswith(("$", "auto", "ansi_"))


@cache
def _textual_variables() -> frozenset[str]:
    """The variable names Textual's colour system defines (a theme may override them)."""
    return frozenset(ColorSystem(primary="#000000").generate())


def _inherit_margin_variables(theme: Theme, builtins: dict[str, Theme]) -> None:
    """Fill margin variables a user theme left out from the built-in of the same lightness."""
    base = builtins.get("margin-dark" if theme.dark else "margin-light")
    fallback = base.variables if base else THEME_VARIABLE_DEFAULTS
    for name in sorted(MARGIN_VARIABLES - set(theme.variables)):
        theme.variables[name] = fallback.get(name, THEME_VARIABLE_DEFAULTS[name])


def _key_lines(text: str) -> dict[str, int]:
    """1-based line of each top-level key and of each ``variables.<name>``, for messages."""
    root = yaml.compose(text, Loader=SAFE_LOADER)
    lines: dict[str, int] = {}
    if not isinstance(root, yaml.MappingNode):
        return lines
    for key, value in root.value:
        lines.setdefault(str(key.value), key.start_mark.line + 1)
        if key.value == "variables" and isinstance(value, yaml.MappingNode):
            for sub, _ in value.value:
                lines.setdefault(f"variables.{sub.value}", sub.start_mark.line + 1)
    return lines


def _yaml_where(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    return f", line {mark.line + 1}" if mark is not None else ""


def _yaml_problem(error: yaml.YAMLError) -> str:
    problem = getattr(error, "problem", None)
    return str(problem) if problem else type(error).__name__


def _kind(value: object) -> str:
    return "nothing" if value is None else type(value).__name__


def _known_top() -> str:
    return ", ".join(["name", "dark", *COLOUR_KEYS, "variables", "description"])
