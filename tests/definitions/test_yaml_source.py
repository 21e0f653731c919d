"""Hostile or surprising YAML is refused with a located, readable error."""

from __future__ import annotations

import time

import pytest

from engine.definitions.yaml_source import MAX_DEPTH, MAX_FILE_BYTES, YamlProblem, read_yaml


def problem(text: str) -> YamlProblem:
    with pytest.raises(YamlProblem) as caught:
        read_yaml(text)
    return caught.value


def test_plain_values_follow_yaml_1_2() -> None:
    data, _ = read_yaml("a: 1\nb: 1.5\nc: true\nd: null\ne: '2025-11-26'\nf: 2025-11-26\ng: 010\n")
    assert data == {
        "a": 1,
        "b": 1.5,
        "c": True,
        "d": None,
        "e": "2025-11-26",
        "f": "2025-11-26",
        "g": 10,
    }


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "Yes", "NO"])
def test_yaml_1_1_booleans_are_refused_in_values(word: str) -> None:
    error = problem(f"procedure: x\nanswer: {word}\n")
    assert (error.line, error.column) == (2, 9)
    assert "ambiguous" in error.message
    assert f"'{word}'" in error.message


def test_yaml_1_1_booleans_are_refused_in_keys() -> None:
    error = problem("options:\n  yes: {ja: はい}\n")
    assert (error.line, error.column) == (2, 3)


def test_quoted_yes_is_the_word() -> None:
    data, _ = read_yaml("options:\n  'yes': はい\n  \"no\": いいえ\n")
    assert data == {"options": {"yes": "はい", "no": "いいえ"}}


def test_python_tags_are_refused() -> None:
    error = problem("a: !!python/object/apply:os.system ['echo hacked']\n")
    assert "tags" in error.message
    assert error.line == 1


def test_custom_tags_are_refused() -> None:
    assert "tags" in problem("a: !include other.yaml\n").message


def test_anchors_are_refused() -> None:
    error = problem("a: &x {b: 1}\nc: 2\n")
    assert "anchors" in error.message


def test_billion_laughs_is_refused_at_once() -> None:
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for name, previous in zip("bcdefghi", "abcdefgh", strict=True):
        bomb += f"{name}: &{name} [*{previous},*{previous},*{previous},*{previous},*{previous}]\n"
    started = time.perf_counter()
    error = problem(bomb)
    assert time.perf_counter() - started < 1
    assert "anchors" in error.message or "aliases" in error.message


def test_merge_keys_are_refused() -> None:
    assert "merge" in problem("a:\n  <<: {b: 1}\n").message


def test_files_over_the_size_cap_are_refused() -> None:
    error = problem("a: '" + "x" * MAX_FILE_BYTES + "'\n")
    assert "larger than" in error.message


def test_deep_nesting_is_refused_without_recursion_error() -> None:
    error = problem("a: " + "[" * 10_000 + "]" * 10_000 + "\n")
    assert f"deeper than {MAX_DEPTH}" in error.message


def test_duplicate_keys_are_refused_where_they_stand() -> None:
    error = problem("title: a\nversion: 1\ntitle: b\n")
    assert (error.line, error.column, error.message) == (3, 1, "duplicate key 'title'")


def test_syntax_errors_are_located() -> None:
    error = problem("a: [1, 2\nb: 3\n")
    assert error.message.startswith("YAML syntax")
    assert error.line >= 1


def test_empty_file() -> None:
    assert problem("# nothing\n").message == "the file is empty"


def test_source_map_locates_keys_values_and_text_offsets() -> None:
    _, source = read_yaml('pages:\n  - id: a\n    show_if: reason == "x"\n    q: "b == 1"\n')
    assert source.locate(("pages", 0, "id")) == source.values[("pages", 0, "id")]
    assert (source.locate(("pages", 0, "id")).line, source.locate(("pages", 0, "id")).column) == (
        2,
        9,
    )
    key = source.locate(("pages", 0, "show_if"), key=True)
    assert (key.line, key.column) == (3, 5)
    inside = source.locate_in_text(("pages", 0, "show_if"), 10)
    assert (inside.line, inside.column) == (3, 24)
    quoted = source.locate_in_text(("pages", 0, "q"), 5)
    assert (quoted.line, quoted.column) == (4, 14)
    # a path that does not exist falls back to its nearest ancestor
    assert source.locate(("pages", 0, "missing")).line == 2


def test_syntax_errors_in_flow_mappings_suggest_quoting() -> None:
    error = problem("label: {ja: 何, en: What is it?}\n")
    assert 'e.g. {en: "What is it?"}' in error.message


def test_colons_in_plain_text_suggest_quoting() -> None:
    assert 'quote text that contains ": "' in problem("hint: 例: 10時: 開始\n").message
