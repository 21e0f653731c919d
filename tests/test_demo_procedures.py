"""The demo procedures in forms/: they load cleanly and realistic answers behave as expected."""

from __future__ import annotations

import copy
import hashlib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from engine.answers import ValidationResult, validate_answers
from engine.definitions.loader import check_files
from engine.definitions.models import Definition
from tests.conftest import TODAY  # 2026-11-26

ROOT = Path(__file__).resolve().parent.parent
DEMOS = ("restaurant-permit", "bulky-waste", "disaster-certificate")


@pytest.fixture(scope="module")
def definitions() -> dict[str, Definition]:
    result = check_files([ROOT / "forms"])
    assert [str(problem) for problem in result.problems] == []
    return {loaded.definition.procedure: loaded.definition for loaded in result.loaded}


def validate(definition: Definition, raw: dict[str, Any]) -> ValidationResult:
    return validate_answers(definition, raw, today=TODAY)


def errors_of(result: ValidationResult) -> list[tuple[str, str]]:
    return [(error.path, error.code) for error in result.errors]


def upload(name: str, media_type: str) -> dict[str, Any]:
    """A stored file as an answer refers to it (the bytes themselves live in file storage)."""
    digest = hashlib.sha256(name.encode()).hexdigest()
    return {
        "id": f"file_{digest[:16]}",
        "name": name,
        "size": 245_760,
        "media_type": media_type,
        "sha256": digest,
    }


def name(family: str, given: str, family_kana: str, given_kana: str) -> dict[str, str]:
    return {
        "family": family,
        "given": given,
        "family_kana": family_kana,
        "given_kana": given_kana,
    }


def tokyo(city: str, street: str, building: str = "") -> dict[str, str]:
    return {"prefecture": "13", "city": city, "street": street, "building": building}


def test_every_form_loads_and_all_four_procedures_are_present(
    definitions: dict[str, Definition],
) -> None:
    assert set(definitions) == {"childcare-enrollment", *DEMOS}


@pytest.mark.parametrize("procedure", DEMOS)
def test_demo_has_both_languages_and_a_receipt(
    definitions: dict[str, Definition], procedure: str
) -> None:
    definition = definitions[procedure]
    assert definition.title.en is not None
    assert all(page.title.en is not None for page in definition.pages)
    assert all(spec.label.en is not None for spec in definition.fields())
    assert "receipt" in definition.documents


# 飲食店営業許可申請 -----------------------------------------------------------------------

RESTAURANT_CORPORATE: dict[str, Any] = {
    "applicant_type": "corporation",
    "corporation_name": "株式会社まどぐち食堂",
    "corporate_number": "7000012050002",
    "representative_title": "代表取締役",
    "name": name("山田", "太郎", "やまだ", "たろう"),  # hiragana furigana become katakana
    "postal_code": "160-0023",
    "address": tokyo("新宿区", "西新宿二丁目8番1号", "都庁第一本庁舎"),
    "phone": "03-5321-1111",
    "email": "info@madoguchi-shokudo.example.jp",
    "shop_name": "まどぐち食堂 新宿店",
    "premises_postal_code": "1600021",
    "premises_address": tokyo("新宿区", "歌舞伎町一丁目4番1号", "まどぐちビル1階"),
    "premises_phone": "",
    "business_style": "restaurant",
    "services": ["takeout", "alcohol"],
    "opening_date": "2027-01-15",
    "seats": "28",
    "floor_area": "45.50",
    "water_supply": "tank",
    "manager_is_applicant": "no",
    "manager_name": name("佐藤", "花子", "サトウ", "ハナコ"),
    "manager_qualification": "cook",
    "manager_certificate_number": "R5-012345",
    "manager_certificate": [upload("調理師免許証.pdf", "application/pdf")],
    "floor_plan": [
        upload("平面図.pdf", "application/pdf"),
        upload("厨房設備配置図.png", "image/png"),
    ],
    "registry_certificate": [upload("履歴事項全部証明書.pdf", "application/pdf")],
    "not_disqualified": True,
    "agree": "yes",
}


def test_restaurant_permit_corporate_application_validates(
    definitions: dict[str, Definition],
) -> None:
    result = validate(definitions["restaurant-permit"], RESTAURANT_CORPORATE)
    assert errors_of(result) == []
    answers = result.answers
    assert answers["corporate_number"] == "7000012050002"
    assert answers["name"]["family_kana"] == "ヤマダ"
    assert answers["floor_area"] == Decimal("45.50")
    assert answers["seats"] == 28
    assert "premises_phone" not in answers  # left blank, and optional
    assert len(answers["floor_plan"]) == 2


def test_restaurant_permit_individual_needs_no_corporate_details(
    definitions: dict[str, Definition],
) -> None:
    raw = copy.deepcopy(RESTAURANT_CORPORATE)
    raw.update(applicant_type="individual", manager_is_applicant="yes", registry_certificate=[])
    result = validate(definitions["restaurant-permit"], raw)
    assert errors_of(result) == []
    # Answers to questions the applicant was not shown are dropped, not kept.
    for hidden in ("corporation_name", "corporate_number", "representative_title", "manager_name"):
        assert hidden not in result.answers


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param({"corporate_number": ""}, ("corporate_number", "required"), id="no-number"),
        pytest.param(
            {"corporate_number": "7000012050003"},
            ("corporate_number", "invalid_corporate_number"),
            id="bad-check-digit",
        ),
        pytest.param(
            {"registry_certificate": []},
            ("registry_certificate", "required_file"),
            id="no-registry-certificate",
        ),
        pytest.param(
            {"manager_certificate_number": "第R5-012345号"},
            ("manager_certificate_number", "pattern_mismatch"),
            id="certificate-number-with-dai-gou",
        ),
        pytest.param({"floor_area": "45.505"}, ("floor_area", "too_many_places"), id="area"),
        pytest.param(
            {"water_supply": "well"}, ("water_quality_report", "required_file"), id="well-water"
        ),
    ],
)
def test_restaurant_permit_mistakes(
    definitions: dict[str, Definition], change: dict[str, Any], expected: tuple[str, str]
) -> None:
    raw = {**copy.deepcopy(RESTAURANT_CORPORATE), **change}
    assert errors_of(validate(definitions["restaurant-permit"], raw)) == [expected]


def test_restaurant_permit_late_night_alcohol_needs_alcohol(
    definitions: dict[str, Definition],
) -> None:
    raw = {**copy.deepcopy(RESTAURANT_CORPORATE), "services": ["late_night_alcohol"]}
    result = validate(definitions["restaurant-permit"], raw)
    assert errors_of(result) == [("services", "late_night_needs_alcohol")]
    assert result.errors[0].page == "premises"


def test_restaurant_permit_pattern_message_is_the_authors(
    definitions: dict[str, Definition],
) -> None:
    raw = {**copy.deepcopy(RESTAURANT_CORPORATE), "manager_certificate_number": "R5 012345"}
    (error,) = validate(definitions["restaurant-permit"], raw).errors
    assert "「第」「号」は不要" in error.message.ja


def test_restaurant_permit_inspection_needs_both_inspectors(
    definitions: dict[str, Definition],
) -> None:
    definition = definitions["restaurant-permit"]
    inspection = definition.transition("pass_inspection")
    assert inspection is not None
    assert inspection.approvals is not None
    assert sorted(inspection.approvals.from_) == ["fire_inspector", "health_inspector"]
    assert inspection.approvals.need == "all"
    assert inspection.approvals.reject_to == "improvement"
    assert {"fire_inspector", "health_inspector"} <= set(definition.roles)


def test_restaurant_permit_workflow_shape(definitions: dict[str, Definition]) -> None:
    definition = definitions["restaurant-permit"]
    states = definition.workflow.states
    assert states["correction"].applicant_edits is True
    assert states["correction"].clock == "paused"
    assert states["improvement"].clock == "paused"
    approve = definition.transition("approve")
    assert approve is not None
    assert approve.four_eyes
    assert approve.by == ["section_chief"]
    lapse = definition.transition("lapse")
    assert lapse is not None
    assert str(lapse.after) == "30 days"
    assert states["approved"].issues == ["permit"]
    assert states["rejected"].issues == ["refusal_notice"]
    assert definition.fee is not None
    assert definition.fee.amount == 18300


# 粗大ごみ収集申込 -------------------------------------------------------------------------

BULKY_WASTE: dict[str, Any] = {
    "name": name("鈴木", "一郎", "スズキ", "イチロウ"),
    "phone": "090-1234-5678",
    "postal_code": "169-0075",
    "address": tokyo("新宿区", "高田馬場一丁目2番3号", "馬場ハイツ203"),
    "items": [
        {"item_type": "chair", "quantity": "2", "size_note": ""},
        {"item_type": "bicycle", "quantity": 1, "size_note": "26インチ"},
        {"item_type": "other", "other_item": "ベビーカー", "quantity": "1"},
    ],
    "collection_date": "2026-12-10",
    "collection_place": "building_point",
    "agree": "on",
}


def test_bulky_waste_booking_validates(definitions: dict[str, Definition]) -> None:
    result = validate(definitions["bulky-waste"], BULKY_WASTE)
    assert errors_of(result) == []
    items = result.answers["items"]
    assert [item["quantity"] for item in items] == [2, 1, 1]
    assert items[2]["other_item"] == "ベビーカー"
    assert "email" not in result.answers


def test_bulky_waste_total_over_ten_fires_the_check(definitions: dict[str, Definition]) -> None:
    raw = copy.deepcopy(BULKY_WASTE)
    raw["items"] = [
        {"item_type": "chair", "quantity": "4"},
        {"item_type": "futon", "quantity": "4"},
        {"item_type": "carpet", "quantity": "3"},
    ]
    result = validate(definitions["bulky-waste"], raw)
    assert errors_of(result) == [("items", "too_many_in_total")]
    assert result.errors[0].page == "items"
    assert "合計10点まで" in result.errors[0].message.ja


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(
            {"collection_date": "2026-11-30"},
            ("collection_date", "date_too_early"),
            id="less-than-a-week-ahead",
        ),
        pytest.param(
            {"collection_date": "2027-02-01"},
            ("collection_date", "date_too_late"),
            id="more-than-60-days-ahead",
        ),
        pytest.param({"items": []}, ("items", "too_few_items"), id="no-items"),
        pytest.param(
            {"items": [{"item_type": "other", "quantity": "1"}]},
            ("items[0].other_item", "required"),
            id="other-item-unnamed",
        ),
        pytest.param(
            {"items": [{"item_type": "desk", "quantity": "0"}]},
            ("items[0].quantity", "too_small"),
            id="zero-quantity",
        ),
        pytest.param(
            {"collection_place": "other"}, ("place_note", "required"), id="place-undescribed"
        ),
    ],
)
def test_bulky_waste_mistakes(
    definitions: dict[str, Definition], change: dict[str, Any], expected: tuple[str, str]
) -> None:
    raw = {**copy.deepcopy(BULKY_WASTE), **change}
    assert errors_of(validate(definitions["bulky-waste"], raw)) == [expected]


def test_bulky_waste_item_errors_name_the_item(definitions: dict[str, Definition]) -> None:
    raw = {**copy.deepcopy(BULKY_WASTE), "items": [{"item_type": "desk", "quantity": "0"}]}
    (error,) = validate(definitions["bulky-waste"], raw).errors
    assert error.message.ja.startswith("1点目の品目の数量")
    assert "(Item 1)" in (error.message.en or "")


def test_bulky_waste_is_booked_automatically_unless_the_place_needs_checking(
    definitions: dict[str, Definition],
) -> None:
    definition = definitions["bulky-waste"]
    assert definition.submitters == "anyone"
    schedule = definition.transition("schedule")
    assert schedule is not None
    assert schedule.auto
    assert schedule.when is not None
    assert schedule.from_ == ["received"]
    assert schedule.to == "scheduled"
    assert definition.transition("confirm_place") is not None


# り災証明書交付申請 -----------------------------------------------------------------------

DISASTER: dict[str, Any] = {
    "name": name("高橋", "由美", "タカハシ", "ユミ"),
    "birth_date": "昭和60年4月1日",
    "phone": "03-3209-1111",
    "postal_code": "1620052",
    "address": tokyo("新宿区", "戸山三丁目18番1号", "戸山ハイツ5号棟101"),
    "relationship": "owner_resident",
    "same_address": "yes",
    "building_type": "detached",
    "disaster": "typhoon",
    "damage_date": "令和8年10月12日",
    "flooding": "below_floor",
    "damaged_parts": ["roof", "outer_walls"],
    "damage_description": "強風で屋根瓦が約10枚飛ばされ、\n2階の和室に雨漏りがあります。",
    "photos": [
        upload("外観_南側.jpg", "image/jpeg"),
        upload("屋根.heic", "image/heic"),
    ],
    "copies": "2",
    "consent_survey": True,
    "agree": True,
}


def test_disaster_certificate_application_validates(definitions: dict[str, Definition]) -> None:
    result = validate(definitions["disaster-certificate"], DISASTER)
    assert errors_of(result) == []
    answers = result.answers
    assert answers["birth_date"].isoformat() == "1985-04-01"
    assert answers["damage_date"].isoformat() == "2026-10-12"
    assert answers["same_address"] is True
    assert "property_address" not in answers


def test_disaster_certificate_elsewhere_without_photos_validates(
    definitions: dict[str, Definition],
) -> None:
    raw = copy.deepcopy(DISASTER)
    raw.update(
        same_address="no",
        property_postal_code="169-0072",
        property_address=tokyo("新宿区", "大久保三丁目1番1号"),
        disaster="earthquake",
        flooding="above_floor",  # not asked for an earthquake: dropped
        photos=[],
    )
    result = validate(definitions["disaster-certificate"], raw)
    assert errors_of(result) == []
    assert result.answers["property_address"]["city"] == "新宿区"
    assert "flooding" not in result.answers
    assert "photos" not in result.answers


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(
            {"damage_date": "2026-11-27"}, ("damage_date", "date_too_late"), id="future-damage"
        ),
        pytest.param(
            {"same_address": "no"}, ("property_address", "required"), id="no-property-address"
        ),
        pytest.param(
            {"photos": [upload("被害状況.gif", "image/gif")]},
            ("photos", "file_type"),
            id="gif-photo",
        ),
        pytest.param({"damaged_parts": []}, ("damaged_parts", "required_choice"), id="no-parts"),
        pytest.param({"consent_survey": False}, ("consent_survey", "not_declared"), id="consent"),
    ],
)
def test_disaster_certificate_mistakes(
    definitions: dict[str, Definition], change: dict[str, Any], expected: tuple[str, str]
) -> None:
    raw = {**copy.deepcopy(DISASTER), **change}
    assert errors_of(validate(definitions["disaster-certificate"], raw)) == [expected]


def test_disaster_certificate_is_issued_with_the_certificate(
    definitions: dict[str, Definition],
) -> None:
    definition = definitions["disaster-certificate"]
    assert definition.workflow.states["issued"].issues == ["certificate"]
    assert definition.documents["certificate"].template == "disaster-certificate.html"
    for action in ("issue", "issue_from_photos"):
        transition = definition.transition(action)
        assert transition is not None
        assert transition.to == "issued"
        assert transition.comment == "required"  # the clerk records the damage level
