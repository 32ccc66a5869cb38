"""The stand-in SMS gateway as a real process, for tests that need the one-time code a user
would read on their phone. Import the fixtures into a test module (or conftest)."""

import json
import re
import subprocess
import sys
import urllib.request

import pytest

TOKEN = "t0ken"


@pytest.fixture(scope="module")
def sms_gateway_process():
    process = subprocess.Popen(
        [sys.executable, "manage.py", "run_fake_sms_gateway", "--port", "0", "--token", TOKEN],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        port = int(process.stdout.readline().rsplit(":", 1)[1])
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def sms_gateway(settings, sms_gateway_process):
    """Texts go to the gateway process; returns its base URL."""
    settings.NOTIFY_BACKEND = "sms_gateway"
    settings.SMS_GATEWAY_URL = f"{sms_gateway_process}/send"
    settings.SMS_GATEWAY_TOKEN = TOKEN
    return sms_gateway_process


def texts_to(gateway: str, mobile: str) -> list[str]:
    with urllib.request.urlopen(f"{gateway}/_messages", timeout=5) as answer:  # noqa: S310 (our own http URL)
        return [message["text"] for message in json.load(answer) if message["mobile"] == mobile]


def last_code(gateway: str, mobile: str) -> str:
    """The 6-digit code of the latest text to ``mobile``."""
    return re.search(r"\d{6}", texts_to(gateway, mobile)[-1]).group()
