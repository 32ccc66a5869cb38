import secrets

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpResponseBadRequest, JsonResponse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext


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


class RejectNulMiddleware:
    """A NUL character in the path or a query parameter is a 400 before any view runs:
    PostgreSQL cannot store or compare text containing NUL, so every search would answer 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any("\x00" in key + "".join(values) for key, values in request.GET.lists()):
            message = gettext("The request contains a NUL character.")
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "invalid", "message": message, "fields": {}}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
