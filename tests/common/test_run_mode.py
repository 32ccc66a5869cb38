"""The embedded default looks like the product: Chinese error pages, no tracebacks for refused
requests, no broker warnings in in-process task mode."""

import logging

import pytest
from django.test import override_settings
from django.urls import reverse

from common.logging import ClientErrorsWithoutTraceback


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_an_unknown_page_is_the_chinese_404(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    body = response.content.decode()
    assert "未找到" in body and "页面不存在" in body
    assert "URLconf" not in body


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_a_refused_page_is_the_chinese_403(login, parent):
    response = login(parent).get(reverse("hukou:workbench"))

    assert response.status_code == 403
    assert "无权访问" in response.content.decode()


def test_the_500_page_is_chinese_and_standalone(rf):
    from common.views import server_error

    response = server_error(rf.get("/some/page/"))

    assert response.status_code == 500
    assert "系统出错" in response.content.decode()


def _record(status: int) -> logging.LogRecord:
    try:
        raise PermissionError("refused")
    except PermissionError:
        import sys

        record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Forbidden", (), sys.exc_info())
    record.status_code = status
    return record


def test_refused_requests_are_logged_without_a_traceback_real_errors_with_one():
    refused, broken = _record(403), _record(500)

    ClientErrorsWithoutTraceback().filter(refused)
    ClientErrorsWithoutTraceback().filter(broken)

    assert refused.exc_info is None
    assert broken.exc_info is not None


def test_the_in_process_broker_url_names_a_host(settings):
    from kombu import Connection

    if settings.CELERY_TASK_ALWAYS_EAGER:
        assert Connection(settings.CELERY_BROKER_URL).hostname
