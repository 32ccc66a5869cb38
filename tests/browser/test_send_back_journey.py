"""退回补正 in the browser: the approver sends a case back with reasons, the clerk sees them,
corrects and submits again, and the approver signs it off."""

import pytest
from selenium.webdriver.common.by import By

from hukou.codes import Relationship
from hukou.models import BusinessType, Person
from hukou.services.cases import case_receive, case_submit_for_review
from tests.browser.steps import log_in, status_becomes
from tests.hukou.catalogue import business_catalogue  # noqa: F401  (fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("business_catalogue"),
]

REASONS = "出生医学证明编号与原件不一致"


def test_a_case_goes_back_to_its_clerk_and_round_again(
    browser, live_server, screenshot, clerk_east, approver_east, east_household, east_head
):
    case = case_receive(
        actor=clerk_east, business_type=BusinessType.objects.get(code="birth"), applicant_name="张建华",
        household=east_household,
        payload={"name": "张小红", "sex": "F", "birth_date": "2026-11-01", "relationship": Relationship.DAUGHTER},
    )  # fmt: skip
    case_submit_for_review(actor=clerk_east, case_id=case.pk)

    log_in(browser, live_server, "approver_east")
    browser.get(f"{live_server.url}/hukou/cases/{case.pk}/")
    form = browser.find_element(By.CSS_SELECTOR, "[data-testid=send-back]")
    form.find_element(By.NAME, "reason").send_keys(REASONS)
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    status_becomes(browser, "已退回补正")
    assert "已退回受理民警补正" in browser.page_source
    screenshot("case-sent-back")

    browser.delete_all_cookies()
    log_in(browser, live_server, "clerk_east")
    browser.get(f"{live_server.url}/hukou/cases/{case.pk}/")
    assert REASONS in browser.find_element(By.CSS_SELECTOR, "[data-testid=sent-back]").text
    screenshot("case-returned-to-clerk")
    browser.find_element(By.XPATH, "//button[text()='提交审签']").click()
    status_becomes(browser, "审核中")
    assert "已完成。" not in browser.page_source

    browser.delete_all_cookies()
    log_in(browser, live_server, "approver_east")
    browser.get(f"{live_server.url}/hukou/cases/{case.pk}/")
    browser.find_element(By.XPATH, "//button[text()='审签通过并登记']").click()
    status_becomes(browser, "已办结")
    assert Person.objects.filter(name="张小红", household=east_household).exists()
