"""Who may revoke which document: whoever may take a step into a state that issues it."""

from __future__ import annotations

from engine.definitions.loader import load_definition
from engine.documents.revocation import revoking_roles
from tests.conftest import FORMS


def test_the_roles_that_decide_may_revoke_and_nobody_may_revoke_a_receipt() -> None:
    childcare = load_definition(FORMS / "childcare-enrollment.yaml").definition
    assert revoking_roles(childcare, "decision_notice") == {"clerk", "section_chief"}
    assert revoking_roles(childcare, "receipt") == set()  # admins only


def test_voters_whose_rejection_issues_the_document_may_revoke_it() -> None:
    restaurant = load_definition(FORMS / "restaurant-permit.yaml").definition
    before = revoking_roles(restaurant, "refusal_notice")
    assert "health_inspector" not in before
    # The inspectors' rejecting vote sends the case to `improvement`; were a refusal issued
    # there, their votes would have decided it.
    states = dict(restaurant.workflow.states)
    states["improvement"] = states["improvement"].model_copy(update={"issues": ["refusal_notice"]})
    workflow = restaurant.workflow.model_copy(update={"states": states})
    issuing = restaurant.model_copy(update={"workflow": workflow})
    assert revoking_roles(issuing, "refusal_notice") == before | {
        "health_inspector",
        "fire_inspector",
    }
