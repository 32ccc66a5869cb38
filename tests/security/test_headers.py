"""Headers and defaults: a CSP on every page (no inline script), no-store on personal data, the
API schema and docs for staff only, and no start without SECRET_KEY when DEBUG is off."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db

TEMPLATE_DIRS = [Path(settings.BASE_DIR) / "templates", *Path(settings.BASE_DIR).glob("*/templates")]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*\bnonce=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style(?![^>]*\bnonce=)[^>]*>", re.IGNORECASE)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
# Certificate templates are rendered to PDF by WeasyPrint, never served as a page.
PDF_ONLY = "certificates"


def page_templates():
    for directory in TEMPLATE_DIRS:
        for path in directory.rglob("*.html"):
            if PDF_ONLY not in path.parts:
                yield path


def test_no_served_template_has_an_inline_script_style_or_event_handler():
    offenders = [
        str(path)
        for path in page_templates()
        if INLINE_SCRIPT.search(text := path.read_text(encoding="utf-8"))
        or INLINE_STYLE.search(text)
        or HANDLER.search(text)
    ]

    assert offenders == []


@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/api/v1/me/", "/no-such-page/"])
def test_every_answer_has_a_content_security_policy_of_this_origin_only(client, url):
    policy = client.get(url).headers["Content-Security-Policy"]

    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy


def test_the_nonce_changes_with_every_request(client):
    first = client.get("/").headers["Content-Security-Policy"]
    second = client.get("/").headers["Content-Security-Policy"]

    assert re.search(r"'nonce-[\w-]{16,}'", first)
    assert first != second


def test_pages_for_a_logged_in_user_are_not_stored(login, clerk_east, east_head):
    response = login(clerk_east).get(f"/hukou/persons/{east_head.pk}/")

    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]


def test_api_answers_with_a_token_are_not_stored(client, clerk_east):
    token = Token.objects.create(user=clerk_east)

    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token.key}")

    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]


@pytest.mark.parametrize("url", ["/api/v1/schema/", "/api/v1/docs/", "/api/v1/docs/?script="])
def test_the_api_schema_and_docs_are_closed_to_anonymous_visitors_and_parents(client, parent, url):
    assert client.get(url).status_code in (401, 403)
    client.force_login(parent)
    assert client.get(url).status_code == 403


def test_the_docs_page_runs_without_inline_script(login, clerk_east):
    client = login(clerk_east)
    page = client.get("/api/v1/docs/")
    body = page.content.decode()
    nonce = re.search(r"'nonce-([\w-]+)'", page.headers["Content-Security-Policy"]).group(1)

    assert not INLINE_SCRIPT.search(body)
    assert f'<style nonce="{nonce}">' in body
    script_url = re.search(r'<script src="([^"]*script[^"]*)"', body).group(1).replace("&amp;", "&")
    script = client.get(script_url)
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()


def test_without_secret_key_and_debug_off_the_app_refuses_to_start():
    env = {key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "SECRET_KEY_FILE", "DEBUG"}}
    env["DEBUG"] = "0"
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=settings.BASE_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is required" in result.stderr
