"""``entities.yaml``: round trip, atomic locked edits, and bad files reported by line."""

from __future__ import annotations

import multiprocessing
import os
import stat
from pathlib import Path

import pytest
import yaml
from margin.search.entities import EntityConfig, config_path, edit_config, resolve
from margin.search.models import Mention


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("MARGIN_CACHE_DIR", "MARGIN_CONFIG_DIR", "MARGIN_DATA_DIR"):
        monkeypatch.setenv(var, str(tmp_path / var.lower()))


def test_round_trip_keeps_awkward_values_as_strings(tmp_path: Path) -> None:
    path = config_path(tmp_path)
    config = EntityConfig()
    config.add_merge("Lavrov", "Sergey Lavrov")
    config.add_merge("NO", "Norway")
    config.set_kind("012345", "ORG")
    config.hide_name("Comment")
    config.hide_name("comment")  # the same name: not added twice
    config.save(path)
    assert path == tmp_path / ".margin" / "entities.yaml"
    loaded, problems = EntityConfig.load(path)
    assert problems == []
    assert loaded == config
    assert loaded.aliases == {"Sergey Lavrov": ["Lavrov"], "Norway": ["NO"]}
    assert loaded.kinds == {"012345": "ORG"}
    assert loaded.hide == ["Comment"]
    assert path.read_text(encoding="utf-8").startswith("# margin entity corrections")


def test_merging_an_entity_that_already_has_aliases_moves_them(tmp_path: Path) -> None:
    config = EntityConfig(aliases={"Shoigu": ["Shoygu"]})
    config.add_merge("Shoigu", "Sergei Shoigu")
    assert config.aliases == {"Sergei Shoigu": ["Shoigu", "Shoygu"]}


def test_missing_file_is_an_empty_config(tmp_path: Path) -> None:
    assert EntityConfig.load(tmp_path / "nope.yaml") == (EntityConfig(), [])


def test_bad_file_reports_path_and_line_and_keeps_the_good_parts(tmp_path: Path) -> None:
    path = tmp_path / "entities.yaml"
    path.write_text(
        "aliases:\n"
        "  Sergey Lavrov: [Lavrov]\n"
        "kinds:\n"
        "  Kremlin: BUILDING\n"
        "  Tehran: place\n"
        "hide: Comment\n"
        "colour: red\n",
        encoding="utf-8",
    )
    config, problems = EntityConfig.load(path)
    assert config.aliases == {"Sergey Lavrov": ["Lavrov"]}
    assert config.kinds == {"Tehran": "PLACE"}
    assert config.hide == []
    assert problems[0].startswith(f"{path}:4: kinds: expected one of PERSON")
    assert problems[1].startswith(f"{path}:6: hide: expected a list")
    assert problems[2].startswith(f"{path}:7: unknown key 'colour'")


def test_invalid_yaml_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "entities.yaml"
    path.write_text("aliases:\n  a: [b\nhide: [c]\n", encoding="utf-8")
    config, problems = EntityConfig.load(path)
    assert config == EntityConfig()
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}:")
    assert "not valid YAML" in problems[0]


def test_save_is_atomic_and_leaves_no_temp_files(tmp_path: Path) -> None:
    path = config_path(tmp_path)
    EntityConfig(hide=["old"]).save(path)
    before = path.stat().st_ino
    EntityConfig(hide=["new"]).save(path)
    assert path.stat().st_ino != before  # replaced by rename, never rewritten in place
    assert sorted(p.name for p in path.parent.iterdir()) == ["entities.yaml"]
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["hide"] == ["new"]


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_save_keeps_the_files_permissions(tmp_path: Path) -> None:
    path = config_path(tmp_path)
    EntityConfig(hide=["a"]).save(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644  # not mkstemp's private 0600
    path.chmod(0o664)
    EntityConfig(hide=["b"]).save(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o664


def _hide(args: tuple[str, str]) -> None:
    path, name = args
    edit_config(Path(path), lambda c: c.hide_name(name))


def test_concurrent_edits_from_processes_are_all_kept(tmp_path: Path) -> None:
    path = config_path(tmp_path)
    names = [f"name{i}" for i in range(8)]
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        pool.map(_hide, [(str(path), n) for n in names])
    config, problems = EntityConfig.load(path)
    assert problems == []
    assert sorted(config.hide) == names


def test_edits_reach_the_merge(tmp_path: Path) -> None:
    path = config_path(tmp_path)
    edit_config(path, lambda c: c.add_merge("Shoygu", "Sergei Shoigu"))
    edit_config(path, lambda c: c.hide_name("Comment"))
    config, _ = EntityConfig.load(path)
    docs = {
        "a": [
            Mention(0, 6, "PERSON", "Shoygu"),
            Mention(7, 14, "PERSON", "Comment"),
        ]
    }
    res = resolve(docs, config)
    assert [(m.text, m.canonical) for m in res.mentions("a")] == [("Shoygu", "Sergei Shoigu")]
