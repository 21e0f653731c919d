from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from madoguchi.config import Settings
from madoguchi.web.app import create_app
from madoguchi.web.services import Services, build_services
from tests.conftest import FORMS, TODAY

BASE_URL = "http://127.0.0.1:8000"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@contextmanager
def running_services(database_url: str, forms: Path, data: Path) -> Iterator[Services]:
    """The application's services on ``forms``, with mail in ``data``/outbox and today
    fixed, disposed of afterwards."""
    settings = Settings(
        data=data, database_url=database_url, forms=forms, mail_url=f"file:{data / 'outbox'}"
    )
    built = build_services(settings)
    built.today = lambda: TODAY
    yield built
    built.engine.dispose()


def serve_client(services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(services.settings, services), base_url=BASE_URL) as client:
        yield client


@pytest.fixture(scope="session")
def services(app_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    with running_services(app_database_url, FORMS, tmp_path_factory.mktemp("data")) as built:
        yield built


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    yield from serve_client(services)


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    assert match is not None, "the page has no form with a CSRF token"
    return match.group(1)


def outbox(services: Services) -> Path:
    return services.settings.data / "outbox"


@pytest.fixture
def applied(services: Services) -> tuple[TestClient, str]:
    """A signed-in citizen's childcare application: their client and its reference."""
    # flows imports this module: imported here, once both are loaded.
    from tests.conftest import childcare_answers  # noqa: PLC0415
    from tests.web.flows import complete, sign_up_and_in  # noqa: PLC0415
    from tests.web.test_citizen_path import definition_of  # noqa: PLC0415

    citizen = TestClient(create_app(services.settings, services), base_url=BASE_URL)
    sign_up_and_in(citizen, outbox(services), f"citizen-{secrets.token_hex(4)}@example.jp")
    definition = definition_of(services, "childcare-enrollment")
    return citizen, complete(citizen, definition, childcare_answers()).reference
