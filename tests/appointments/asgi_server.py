"""A real ASGI server (uvicorn) in a thread of the test process, for browser tests that need
websockets (pytest-django's live_server is WSGI). It serves the project's ASGI application
plus static files, records every HTTP path requested (to assert which voice clips a display
fetched), and uses the test database, so the test must be ``transaction=True``."""

import socket
import threading
import time

import pytest


class _PathRecorder:
    def __init__(self, app):
        self.app = app
        self.paths: list[str] = []

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            self.paths.append(scope["path"])
        await self.app(scope, receive, send)


class AsgiServer:
    def __init__(self, url, recorder):
        self.url = url
        self.recorder = recorder

    @property
    def paths(self) -> list[str]:
        return list(self.recorder.paths)


@pytest.fixture
def asgi_server(transactional_db, settings):
    import uvicorn
    from channels.layers import channel_layers
    from channels.routing import ProtocolTypeRouter
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
    from django.core.asgi import get_asgi_application

    from config.asgi import application

    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
    channel_layers.backends.clear()
    recorder = _PathRecorder(
        ProtocolTypeRouter(
            {
                "http": ASGIStaticFilesHandler(get_asgi_application()),
                "websocket": application.application_mapping["websocket"],
            }
        )
    )
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(recorder, log_level="warning", lifespan="off", ws="websockets-sansio"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the ASGI test server did not start"
    yield AsgiServer(f"http://127.0.0.1:{port}", recorder)
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()
    channel_layers.backends.clear()
