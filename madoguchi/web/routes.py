"""Every route of the web layer, in one table, each with a dotted name."""

from __future__ import annotations

from pathlib import Path

from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from madoguchi.web import (
    accounts,
    api,
    applicant,
    citizen,
    console,
    console_admin,
    console_auth,
    console_exports,
    documents,
    downloads,
    status,
)
from madoguchi.web.endpoint import endpoint

STATIC = Path(__file__).resolve().parent.parent.parent / "renderers" / "static"

GET = ["GET", "HEAD"]
POST = ["POST"]

routes = [
    Route("/", endpoint(citizen.home), methods=GET, name="citizen.home"),
    Route(
        "/procedures/{procedure}",
        endpoint(citizen.start_page),
        methods=GET,
        name="citizen.start_page",
    ),
    Route(
        "/procedures/{procedure}",
        endpoint(citizen.start),
        methods=POST,
        name="citizen.start",
    ),
    Route("/drafts/{draft}/pages/{page}", endpoint(citizen.page), methods=GET, name="citizen.page"),
    Route(
        "/drafts/{draft}/pages/{page}",
        endpoint(citizen.save_page),
        methods=POST,
        name="citizen.save_page",
    ),
    Route("/drafts/{draft}/resume", endpoint(citizen.resume), methods=GET, name="citizen.resume"),
    Route("/drafts/{draft}/check", endpoint(citizen.check), methods=GET, name="citizen.check"),
    Route("/drafts/{draft}/submit", endpoint(citizen.submit), methods=POST, name="citizen.submit"),
    Route("/drafts", endpoint(status.drafts), methods=GET, name="citizen.drafts"),
    Route("/applications", endpoint(status.applications), methods=GET, name="status.list"),
    Route(
        "/applications/{public_id}",
        endpoint(status.application),
        methods=GET,
        name="status.detail",
    ),
    Route(
        "/applications/{public_id}/files/{file}",
        endpoint(downloads.application_file),
        methods=GET,
        name="status.file",
    ),
    Route(
        "/applications/{public_id}/act",
        endpoint(applicant.act),
        methods=POST,
        name="applicant.act",
    ),
    Route(
        "/applications/{public_id}/messages",
        endpoint(applicant.message),
        methods=POST,
        name="applicant.message",
    ),
    Route(
        "/applications/{public_id}/correct",
        endpoint(applicant.correct_form),
        methods=GET,
        name="applicant.correct_form",
    ),
    Route(
        "/applications/{public_id}/correct",
        endpoint(applicant.correct),
        methods=POST,
        name="applicant.correct",
    ),
    Route(
        "/applications/{public_id}/documents/{document}",
        endpoint(documents.application_document),
        methods=GET,
        name="documents.application",
    ),
    Route("/verify", endpoint(documents.verify_form), methods=GET, name="documents.verify_form"),
    Route(
        "/verify", endpoint(documents.verify_upload), methods=POST, name="documents.verify_upload"
    ),
    Route("/verify/{code}.jws", endpoint(documents.token), methods=GET, name="documents.token"),
    Route("/verify/{code}", endpoint(documents.verify), methods=GET, name="documents.verify"),
    Route("/.well-known/jwks.json", endpoint(documents.jwks), methods=GET, name="documents.jwks"),
    Route("/status", endpoint(status.lookup_form), methods=GET, name="status.lookup_form"),
    Route("/status", endpoint(status.lookup), methods=POST, name="status.lookup"),
    Route("/sign-in", endpoint(accounts.sign_in_form), methods=GET, name="accounts.sign_in_form"),
    Route("/sign-in", endpoint(accounts.sign_in), methods=POST, name="accounts.sign_in"),
    Route("/sign-out", endpoint(accounts.sign_out), methods=POST, name="accounts.sign_out"),
    Route("/sign-up", endpoint(accounts.sign_up_form), methods=GET, name="accounts.sign_up_form"),
    Route("/sign-up", endpoint(accounts.sign_up), methods=POST, name="accounts.sign_up"),
    Route("/account/verify", endpoint(accounts.verify), methods=GET, name="accounts.verify"),
    Route(
        "/forgot-password", endpoint(accounts.forgot_form), methods=GET, name="accounts.forgot_form"
    ),
    Route("/forgot-password", endpoint(accounts.forgot), methods=POST, name="accounts.forgot"),
    Route("/account/reset", endpoint(accounts.reset_form), methods=GET, name="accounts.reset_form"),
    Route("/account/reset", endpoint(accounts.reset), methods=POST, name="accounts.reset"),
    Route(
        "/language/{language}",
        endpoint(accounts.switch_language),
        methods=GET,
        name="accounts.language",
    ),
    Route("/console", endpoint(console.home), methods=GET, name="console.home"),
    Route(
        "/console/queues/{department}", endpoint(console.queue), methods=GET, name="console.queue"
    ),
    Route(
        "/console/queues/{department}/bulk",
        endpoint(console.bulk),
        methods=POST,
        name="console.bulk",
    ),
    Route(
        "/console/queues/{department}/export.{format}",
        endpoint(console_exports.export),
        methods=GET,
        name="console.export",
    ),
    Route("/console/cases/{public_id}", endpoint(console.case), methods=GET, name="console.case"),
    Route(
        "/console/cases/{public_id}/act", endpoint(console.act), methods=POST, name="console.act"
    ),
    Route(
        "/console/cases/{public_id}/assign",
        endpoint(console.assign),
        methods=POST,
        name="console.assign",
    ),
    Route(
        "/console/cases/{public_id}/messages",
        endpoint(console.message),
        methods=POST,
        name="console.message",
    ),
    Route(
        "/console/cases/{public_id}/reveal",
        endpoint(console.reveal),
        methods=POST,
        name="console.reveal",
    ),
    Route(
        "/console/cases/{public_id}/files/{file}",
        endpoint(console.case_file),
        methods=GET,
        name="console.case_file",
    ),
    Route(
        "/console/cases/{public_id}/documents/{document}",
        endpoint(console.case_document),
        methods=GET,
        name="documents.case",
    ),
    Route(
        "/console/cases/{public_id}/documents/{document}/revoke",
        endpoint(console.revoke_document),
        methods=POST,
        name="console.revoke_document",
    ),
    Route(
        "/console/workflows/{procedure}",
        endpoint(console.workflow_picture),
        methods=GET,
        name="console.workflow",
    ),
    Route(
        "/console/sign-in",
        endpoint(console_auth.sign_in_form),
        methods=GET,
        name="console.sign_in_form",
    ),
    Route("/console/sign-in", endpoint(console_auth.sign_in), methods=POST, name="console.sign_in"),
    Route(
        "/console/sign-in/code",
        endpoint(console_auth.code_form),
        methods=GET,
        name="console.code_form",
    ),
    Route("/console/sign-in/code", endpoint(console_auth.code), methods=POST, name="console.code"),
    Route(
        "/console/enroll",
        endpoint(console_auth.enroll_form),
        methods=GET,
        name="console.enroll_form",
    ),
    Route("/console/enroll", endpoint(console_auth.enroll), methods=POST, name="console.enroll"),
    Route(
        "/console/set-password",
        endpoint(console_auth.set_password_form),
        methods=GET,
        name="console.set_password_form",
    ),
    Route(
        "/console/set-password",
        endpoint(console_auth.set_password),
        methods=POST,
        name="console.set_password",
    ),
    Route(
        "/console/sign-out", endpoint(console_auth.sign_out), methods=POST, name="console.sign_out"
    ),
    Route(
        "/console/admin/users",
        endpoint(console_admin.users),
        methods=GET,
        name="console.admin.users",
    ),
    Route(
        "/console/admin/users",
        endpoint(console_admin.add_user),
        methods=POST,
        name="console.admin.add_user",
    ),
    Route(
        "/console/admin/users/{user_id}",
        endpoint(console_admin.user),
        methods=GET,
        name="console.admin.user",
    ),
    Route(
        "/console/admin/users/{user_id}",
        endpoint(console_admin.change_user),
        methods=POST,
        name="console.admin.change_user",
    ),
    Route("/api/postal-codes/{code}", api.postal_code, methods=GET, name="api.postal_code"),
    Route("/healthz", api.health, methods=GET, name="api.health"),
    Mount("/static", StaticFiles(directory=STATIC), name="static"),
]
