import secrets

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers

from common.views import control_characters_refused


class LanguageMiddleware:
    """Pages are in Simplified Chinese unless the user picked English with the language switch
    (a cookie); a browser's Accept-Language does not override that, since a station's terminals
    and parents' phones are not always set up in Chinese. The API honours Accept-Language, so
    client systems can ask for English error messages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            language = translation.get_language_from_request(request)
        else:
            language = self._from_cookie(request) or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", language)
        return response

    @staticmethod
    def _from_cookie(request) -> str | None:
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code and translation.check_for_language(code) and code in dict(settings.LANGUAGES):
            return code
        return None


class SecurityHeadersMiddleware:
    """A Content-Security-Policy on every response and ``Cache-Control: no-store`` on every
    response that may carry personal data.

    The policy allows only this origin (``settings.CONTENT_SECURITY_POLICY``); the few inline
    ``<script>``/``<style>`` blocks that cannot be files carry ``nonce="{{ request.csp_nonce }}"``,
    a fresh random value per request; ``{websocket}`` becomes ``ws(s)://`` of the request's host
    (the live display and ticket pages). No-store covers every answer to a logged-in user (session
    or API token), every API answer and the public certificate verification page, so neither a
    shared terminal's browser nor a proxy keeps a copy of a resident's details.
    """

    NO_STORE_PREFIXES = ("/api/", "/verify/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        policy = settings.CONTENT_SECURITY_POLICY.replace("{nonce}", request.csp_nonce)
        policy = policy.replace("{websocket}", self._websocket_origin(request))
        response.headers.setdefault("Content-Security-Policy", policy)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.path.startswith(self.NO_STORE_PREFIXES):
            add_never_cache_headers(response)
        return response

    @staticmethod
    def _websocket_origin(request) -> str:
        """ws(s):// of this host (already checked against ALLOWED_HOSTS), for connect-src."""
        try:
            host = request.get_host()
        except DisallowedHost:
            return ""
        return f"{'wss' if request.is_secure() else 'ws'}://{host}"


class ControlCharacterMiddleware:
    """Refuses a request whose path or query string (names or values) carries a control
    character such as NUL, before any view or database sees it: PostgreSQL cannot store NUL in
    text and answered with a 500. The API answers 400 in the one error format (common.api),
    pages the Chinese 400 page. Nothing is written."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_control(request.path) or any(
            _has_control(key) or any(_has_control(value) for value in values) for key, values in request.GET.lists()
        ):
            return control_characters_refused(request)
        return self.get_response(request)


def _has_control(text: str) -> bool:
    return any(ord(char) < 32 or ord(char) == 127 for char in text)
