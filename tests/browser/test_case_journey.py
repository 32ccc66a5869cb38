"""A birth case from the window to sign-off, driven by keyboard in headless Chromium."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from hukou.models import Person
from tests.browser.steps import log_in, status_becomes
from tests.hukou.catalogue import business_catalogue  # noqa: F401  (fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("business_catalogue"),
]


def test_clerk_receives_a_birth_and_another_officer_signs_it_off(
    browser, live_server, screenshot, clerk_east, approver_east, east_household, east_head
):
    log_in(browser, live_server, "clerk_east")
    browser.find_element(By.LINK_TEXT, "受理业务").click()
    screenshot("case-receive-start")
    browser.find_element(By.LINK_TEXT, "出生登记").click()
    form = browser.find_element(By.CSS_SELECTOR, "[data-testid=case-receive-form]")
    assert browser.switch_to.active_element.get_attribute("name") == "applicant_name"
    for name, value in {
        "household_number": east_household.number,
        "applicant_name": "张建华",
        "name": "张小红",
        "father_id_number": east_head.id_number,
    }.items():
        form.find_element(By.NAME, name).send_keys(value)
    form.find_element(By.NAME, "sex").send_keys("女")
    browser.execute_script("document.querySelector('[name=birth_date]').value = '2026-11-01'")
    form.find_element(By.NAME, "relationship").send_keys("女")
    screenshot("case-receive-birth")
    form.find_element(By.NAME, "applicant_name").send_keys(Keys.ENTER)

    status_becomes(browser, "已受理")
    screenshot("case-detail-received")
    browser.find_element(By.XPATH, "//button[text()='提交审签']").click()
    status_becomes(browser, "审核中")

    browser.delete_all_cookies()
    log_in(browser, live_server, "approver_east")
    browser.find_element(By.CSS_SELECTOR, "[data-testid=approval-list] a").click()
    screenshot("case-detail-under-review")
    browser.find_element(By.XPATH, "//button[text()='审签通过并登记']").click()

    status_becomes(browser, "已办结")
    assert Person.objects.filter(name="张小红", household=east_household).exists()
    screenshot("case-detail-completed")
