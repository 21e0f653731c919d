"""Finding the visitor's draft and its definition; anonymous applicants hold a per-draft
cookie with the resume token (the resume link sets it)."""

from __future__ import annotations

from dataclasses import dataclass

from engine.definitions.models import Definition, Page
from engine.storage.definitions import DefinitionStore
from engine.storage.drafts import DraftService
from engine.storage.errors import NotFound
from engine.storage.models import Draft
from madoguchi.web.endpoint import Call

DRAFT_COOKIE_PREFIX = "madoguchi_draft_"


@dataclass
class OpenDraft:
    draft: Draft
    definition: Definition
    service: DraftService

    def page(self, page_id: str) -> Page:
        page = next((p for p in self.definition.pages if p.id == page_id), None)
        if page is None:
            raise NotFound(f"no page {page_id}")
        return page


def draft_service(call: Call) -> DraftService:
    return DraftService(call.db, call.services.draft_ttl, cipher=call.services.cipher)


def open_draft(call: Call, draft_id: str) -> OpenDraft:
    service = draft_service(call)
    token = call.request.cookies.get(DRAFT_COOKIE_PREFIX + draft_id)
    draft = service.get(draft_id, user_id=call.visitor.user_id, resume_token=token)
    definition = DefinitionStore(call.db).load(draft.definition_version_id).definition
    return OpenDraft(draft, definition, service)


def page_url(draft_id: str, page_id: str) -> str:
    return f"/drafts/{draft_id}/pages/{page_id}"


def check_url(draft_id: str) -> str:
    return f"/drafts/{draft_id}/check"
