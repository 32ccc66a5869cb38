"""Small helpers for the transport layer (views and API views), never for services."""


def client_address(request) -> str | None:
    """The peer address as the web server gave it (behind a proxy, the proxy must set
    ``REMOTE_ADDR``), or None when there is none; services take this, never the request."""
    return request.META.get("REMOTE_ADDR") or None
