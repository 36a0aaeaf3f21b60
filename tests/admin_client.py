"""An operator's browser, as far as the server can tell: a TestClient that signs in through
the login form and posts forms with the CSRF token the page gave it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from starlette.testclient import TestClient

from aqparat import config, operators
from aqparat.web.app import create_app

NAME, PASSWORD = "aigerim", "correct horse battery staple"
TOKEN = re.compile(r'name="csrf" value="([^"]+)"')


def token(html: str) -> str:
    found = TOKEN.search(html)
    assert found, "no CSRF token in the page"
    return found[1]


def app_client(engine: sa.Engine, tmp: Path, **settings: Any) -> TestClient:
    """A client of a portal with one operator account (NAME, PASSWORD)."""
    path = tmp / "operators.toml"
    if not path.exists():
        operators.add(path, NAME, PASSWORD)
    loaded = config.load(env={}, database_url="unused", operators_file=str(path), **settings)
    return TestClient(create_app(loaded, engine), follow_redirects=False)


def sign_in(client: TestClient, name: str = NAME, password: str = PASSWORD) -> str:
    """Sign in through the form; returns the session's CSRF token from the dashboard."""
    form = client.get("/admin/login")
    response = client.post("/admin/login", data={"csrf": token(form.text), "name": name,
                                                 "password": password})
    assert response.status_code == 303, response.text[:300]
    return token(client.get("/admin/").text)

