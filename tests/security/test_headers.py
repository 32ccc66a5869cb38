"""Headers and defaults: a CSP on every page (no inline script), no-store on personal data, the
API schema and docs for staff only, and no start without SECRET_KEY when DEBUG is off."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from rest_framework.authtoken.models import Token

from tests.security.authz_expected import ACTORS, ADMIN_PREFIX, ADMIN_ROW, EXPECTED, POST_ROUTES
from tests.security.test_authz_matrix import routes, url_of, world  # noqa: F401  (world: fixture)

pytestmark = pytest.mark.django_db

TEMPLATE_DIRS = [Path(settings.BASE_DIR) / "templates", *Path(settings.BASE_DIR).glob("*/templates")]
# A <script> without src and nonce, except JSON data blocks (never executed, not subject to CSP).
INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*\bnonce=)(?![^>]*\btype=\"application/json\")[^>]*>", re.IGNORECASE
)
INLINE_STYLE = re.compile(r"<style(?![^>]*\bnonce=)[^>]*>", re.IGNORECASE)
HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
# A nonce cannot allow a style attribute or a javascript: URL: 'unsafe-inline' would be needed.
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"=\s*[\"']?\s*javascript:", re.IGNORECASE)
FORBIDDEN = {"inline script": INLINE_SCRIPT, "inline style": INLINE_STYLE, "event handler": HANDLER,
             "style attribute": STYLE_ATTRIBUTE, "javascript: URL": JAVASCRIPT_URL}  # fmt: skip
# Rendered to PDF by WeasyPrint on the server, never served as a page (no browser, no CSP; their
# <style> stays inline): certificates and the one-time notice.
PDF_ONLY = ("templates/hukou/certificates/", "templates/documents/notice_pdf.html")
# A library template's attribute the policy blocks, accepted knowingly: django-simple-history's
# admin history list sets a border on its paginator (cosmetic: the line simply shows).
KNOWN_LIBRARY_MARKUP = ('<p class="paginator" style="border-top: 0">',)


def page_templates():
    for directory in TEMPLATE_DIRS:
        for path in directory.rglob("*.html"):
            if not any(part in path.as_posix() for part in PDF_ONLY):
                yield path


def forbidden_in(text: str) -> list[str]:
    return [what for what, pattern in FORBIDDEN.items() if pattern.search(text)]


def test_no_served_template_has_an_inline_script_style_or_event_handler():
    offenders = {str(path): found for path in page_templates() if (found := forbidden_in(path.read_text("utf-8")))}

    assert offenders == {}


def test_the_checks_find_what_the_policy_would_block():
    assert forbidden_in('<script>alert(1)</script><script type="application/json">{}</script>') == ["inline script"]
    assert forbidden_in('<style>p {}</style><p style="color: red">') == ["inline style", "style attribute"]
    assert forbidden_in('<button onclick="go()">') == ["event handler"]
    assert forbidden_in('<a href="javascript:go()">') == ["javascript: URL"]
    assert forbidden_in('<script src="/s.js"></script><style nonce="x"></style><p>one = two</p>') == []


def _first_allowed(expected: str) -> str | None:
    index = expected.find("O")
    return None if index < 0 else ACTORS[index]


def test_no_page_of_the_cast_has_inline_script_or_style_without_the_nonce(world):  # noqa: F811
    """Every page of the URL configuration (GET), as an actor allowed to see it, with the
    matrix's real objects: its HTML may carry inline <script>/<style> only with this answer's
    nonce, and no style attributes, event handlers or javascript: URLs."""
    actors, ids, _west = world
    offenders, pages = [], 0
    for name, route, params in routes():
        expected = EXPECTED.get(name) or (ADMIN_ROW.replace("?", "O") if name.startswith(ADMIN_PREFIX) else "")
        actor = _first_allowed(expected)
        if name in POST_ROUTES or actor is None:
            continue
        client = Client()
        if actors[actor] is not None:
            client.force_login(actors[actor])
        response = client.get(url_of(name, route, params, ids))
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        pages += 1
        body = response.content.decode()
        for markup in KNOWN_LIBRARY_MARKUP:
            body = body.replace(markup, "")
        nonce = re.search(r"'nonce-([\w-]+)'", response.headers["Content-Security-Policy"]).group(1)
        wrong_nonce = [n for n in re.findall(r"<(?:script|style)[^>]*\bnonce=\"([^\"]*)\"", body) if n != nonce]
        if found := forbidden_in(body) + (["another nonce"] if wrong_nonce else []):
            offenders.append(f"{name} as {actor}: {found}")

    assert pages > 60  # the crawl really saw the pages
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
