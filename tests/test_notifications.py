"""Text messages through the configured backend, against the stand-in gateway process."""

import json
import subprocess
import sys
import urllib.request

import pytest

from common.notifications import NotificationError, notification_send


@pytest.fixture
def gateway():
    process = subprocess.Popen(
        [sys.executable, "manage.py", "run_fake_sms_gateway", "--port", "0", "--token", "t0ken"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        port = int(process.stdout.readline().rsplit(":", 1)[1])
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def _messages(gateway):
    with urllib.request.urlopen(f"{gateway}/_messages", timeout=5) as answer:  # noqa: S310 (our own http URL)
        return json.load(answer)


def test_it_posts_the_message_to_the_gateway(settings, gateway):
    settings.NOTIFY_BACKEND = "sms_gateway"
    settings.SMS_GATEWAY_URL = f"{gateway}/send"
    settings.SMS_GATEWAY_TOKEN = "t0ken"

    notification_send(mobile="13800000001", text="您的验证码是 123456", purpose="otp")

    assert _messages(gateway) == [{"mobile": "13800000001", "text": "您的验证码是 123456", "purpose": "otp"}]


def test_it_raises_when_the_gateway_refuses(settings, gateway):
    settings.NOTIFY_BACKEND = "sms_gateway"
    settings.SMS_GATEWAY_URL = f"{gateway}/send"
    settings.SMS_GATEWAY_TOKEN = "wrong"

    with pytest.raises(NotificationError, match="401"):
        notification_send(mobile="13800000001", text="x", purpose="otp")
    assert _messages(gateway) == []


def test_it_logs_on_the_console_backend(settings, caplog):
    settings.NOTIFY_BACKEND = "console"

    with caplog.at_level("INFO", logger="hukou.notifications"):
        notification_send(mobile="13800000001", text="明天9:00请到东城派出所", purpose="booking_reminder")

    assert "13800000001" in caplog.text and "明天9:00请到东城派出所" in caplog.text
