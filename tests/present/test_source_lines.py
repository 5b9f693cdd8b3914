"""Chart source lines come from the manifest by dataset id: each dataset's publisher and title, the licence once; no
chart's source line is typed by hand."""

from __future__ import annotations

import ast

import pytest

from analysis import config
from analysis.present import source_lines
from analysis.sources import manifest, population
from analysis.sources import stop_search as ss


def test_a_line_names_each_dataset_once_with_its_publisher_and_title_and_the_licence_once():
    files = manifest.load_manifest()
    text = source_lines.line([ss.SEARCH_FILE, *population.BY_YEAR_FILES, ss.SEARCH_FILE])
    search = files[ss.SEARCH_FILE]
    assert text.startswith(f"{search.publisher}, {search.title}. ")
    assert text.count(search.title) == 1 and text.endswith(search.licence)
    assert text.count(search.licence) == 1


def test_an_id_the_manifest_lacks_is_named():
    with pytest.raises(KeyError, match="no_such/file"):
        source_lines.line(["no_such/file"])


def test_no_chart_in_the_chapters_has_a_source_line_typed_by_hand():
    # A force's own police.uk files are the one exception: they are in no manifest.
    typed = []
    for path in sorted((config.REPO_ROOT / "analysis" / "chapters").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "source" and isinstance(
                    node.value, (ast.Constant, ast.JoinedStr)):
                text = ast.unparse(node.value)
                if "police.uk" not in text and "evidence register" not in text:
                    typed.append(f"{path.name}: {text[:60]}")
    assert typed == []
