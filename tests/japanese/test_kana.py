import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.japanese.kana import to_furigana


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("やまだ たろう", "ヤマダ\u3000タロウ"),
        ("ヤマダ　タロウ", "ヤマダ\u3000タロウ"),
        ("ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダ\u3000タロウ"),
        ("ﾊﾟｰｸ", "パーク"),
        ("ゔぁいおりん", "ヴァイオリン"),
        ("  やまだ \u3000  たろう\u3000", "ヤマダ\u3000タロウ"),
        ("ジョン・スミス", "ジョン・スミス"),
        ("ｼﾞｮﾝ･ｽﾐｽ", "ジョン・スミス"),
        ("さゝき", "サヽキ"),
        ("ヷヸヹヺ", "ヷヸヹヺ"),
        ("カ\u3099", "ガ"),
    ],
)
def test_converts_to_full_width_katakana(text: str, expected: str) -> None:
    assert to_furigana(text) == expected


def test_small_kana_stay_small() -> None:
    # Since 2025-05-26 キヨウコ and キョウコ are different readings in the family register.
    assert to_furigana("きょうこ") == "キョウコ"
    assert to_furigana("きようこ") == "キヨウコ"
    assert to_furigana("ｷｮｳｺ") == "キョウコ"
    assert to_furigana("ぁぃぅぇぉっゃゅょゎゕゖ") == "ァィゥェォッャュョヮヵヶ"


@pytest.mark.parametrize(
    "text",
    ["山田", "Yamada", "ヤマダ1", "ヤマダ１", "やまだ〜", "カ゛", "", "   ", "\u3000", "ヤマダ\t"],
)
def test_refuses_anything_but_kana(text: str) -> None:
    assert to_furigana(text) is None


@given(st.text(alphabet=st.characters(min_codepoint=0x3041, max_codepoint=0x3096), min_size=1))
def test_every_hiragana_has_a_katakana_twin(text: str) -> None:
    result = to_furigana(text)
    assert result is not None
    assert [ord(c) for c in result] == [ord(c) + 0x60 for c in text]


@given(st.text())
def test_output_is_only_allowed_katakana(text: str) -> None:
    result = to_furigana(text)
    if result is not None:
        assert result == result.strip("\u3000")
        assert "\u3000\u3000" not in result
        assert all(0x30A1 <= ord(c) <= 0x30FE or c == "\u3000" for c in result)
        assert to_furigana(result) == result
