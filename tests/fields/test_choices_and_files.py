from __future__ import annotations

import hashlib

import pytest
from pydantic import ValidationError

from engine.fields import Invalid
from engine.fields.files import sniff_file_kind
from tests.fields.helpers import clean, code_of, make

OPTIONS = {"employed": {"ja": "就労", "en": "Working"}, "seeking": "求職中", "illness": "疾病"}


def test_choice_accepts_only_its_options() -> None:
    field = make("choice", options=OPTIONS)
    assert clean(field, "seeking") == "seeking"
    assert code_of(field, "holiday") == "invalid_choice"
    assert field.display("employed", "en") == "Working"
    assert field.display("seeking", "en") == "求職中"  # no English given: Japanese


def test_choices_keep_the_authors_order_and_bounds() -> None:
    field = make("choices", options=OPTIONS, max_choices=2)
    assert clean(field, ["illness", "employed"]) == ["employed", "illness"]
    assert code_of(field, ["illness", "employed", "seeking"]) == "too_many_choices"


def test_choices_bound_larger_than_options_is_a_definition_error() -> None:
    with pytest.raises(ValidationError, match="larger than the number of options"):
        make("choices", options=OPTIONS, max_choices=4)


@pytest.mark.parametrize(
    ("raw", "value"), [("yes", True), ("no", False), (True, True), ("はい", True)]
)
def test_yes_no(raw: object, value: bool) -> None:
    assert clean(make("yes_no"), raw) is value


def test_declaration_is_always_required_and_must_be_ticked() -> None:
    field = make("declaration")
    assert field.required
    assert field.is_blank(False)
    assert clean(field, "on") is True
    with pytest.raises(ValidationError):
        make("declaration", required=False)


PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"


def stored(media_type: str, size: int = 1000) -> dict[str, object]:
    return {
        "id": "f0123456789abcdef",
        "name": "証明書.pdf",
        "size": size,
        "media_type": media_type,
        "sha256": hashlib.sha256(b"x").hexdigest(),
    }


def test_upload_is_recognised_by_content_not_name() -> None:
    field = make("file", accept=["pdf"])
    assert field.check_upload(PDF, 100).name == "pdf"  # type: ignore[attr-defined]
    with pytest.raises(Invalid) as caught:
        field.check_upload(PNG, 100)  # type: ignore[attr-defined]
    assert caught.value.code == "file_type"
    assert sniff_file_kind(b"MZ\x90\x00 not a pdf") is None


def test_upload_size_limit() -> None:
    field = make("file", accept=["pdf"], max_size="1 MB")
    with pytest.raises(Invalid) as caught:
        field.check_upload(PDF, 1024 * 1024 + 1)  # type: ignore[attr-defined]
    assert caught.value.code == "file_too_large"


def test_file_answer_counts_and_types() -> None:
    field = make("file", accept=["pdf", "png"], max_files=2)
    assert len(clean(field, [stored("application/pdf"), stored("image/png")])) == 2
    assert code_of(field, [stored("application/pdf")] * 3) == "too_many_files"
    assert code_of(field, [stored("image/gif")]) == "file_type"
    assert code_of(field, [{"id": "../../etc/passwd"}]) == "wrong_shape"


def test_size_units() -> None:
    assert make("file", max_size="10 MB").max_size.bytes == 10 * 1024 * 1024  # type: ignore[attr-defined]
    with pytest.raises(ValidationError, match="not a size"):
        make("file", max_size="10 megs")
