from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from madoguchi.config import Settings
from madoguchi.web.app import create_app
from madoguchi.web.services import Services, build_services
from tests.conftest import FORMS, TODAY

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="session")
def services(app_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    data = tmp_path_factory.mktemp("data")
    settings = Settings(
        data=data, database_url=app_database_url, forms=FORMS, mail_url=f"file:{data / 'outbox'}"
    )
    built = build_services(settings)
    built.today = lambda: TODAY
    yield built
    built.engine.dispose()


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    app = create_app(services.settings, services)
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        yield client


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    assert match is not None, "the page has no form with a CSRF token"
    return match.group(1)


def outbox(services: Services) -> Path:
    return services.settings.data / "outbox"
