"""The school sync end to end, as people see it: a clerk and an approver complete a move-in in
the browser; a real Celery worker delivers the signed event to the reference receiver process
within seconds; the school's page shows the change; the school checks the child's eligibility."""

import datetime as dt

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from common.idnumber import make_id_number
from hukou.models import Person
from tests.browser.steps import log_in, status_becomes
from tests.hukou.catalogue import business_catalogue  # noqa: F401  (fixture)
from tests.schoolsync.conftest import wait_until

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("business_catalogue"),
]
CHILD_ID = make_id_number(region="360102", birth_date=dt.date(2021, 3, 1), sequence=77, male=False)


def _receive_move_in(browser, live_server, household):
    log_in(browser, live_server, "clerk_east")
    browser.find_element(By.LINK_TEXT, "受理业务").click()
    browser.find_element(By.LINK_TEXT, "迁入登记").click()
    form = browser.find_element(By.CSS_SELECTOR, "[data-testid=case-receive-form]")
    fields = {"applicant_name": "刘家长", "household_number": household.number, "name": "刘小雨", "id_number": CHILD_ID}
    for name, value in fields.items():
        form.find_element(By.NAME, name).send_keys(value)
    form.find_element(By.NAME, "sex").send_keys("女")
    browser.execute_script("document.querySelector('[name=birth_date]').value = '2021-03-01'")
    form.find_element(By.NAME, "relationship").send_keys("女")
    form.find_element(By.NAME, "applicant_name").send_keys(Keys.ENTER)
    status_becomes(browser, "已受理")
    browser.find_element(By.XPATH, "//button[text()='提交审签']").click()
    status_becomes(browser, "审核中")


def _sign_off(browser, live_server):
    browser.delete_all_cookies()
    log_in(browser, live_server, "approver_east")
    browser.find_element(By.CSS_SELECTOR, "[data-testid=approval-list] a").click()
    browser.find_element(By.XPATH, "//button[text()='审签通过并登记']").click()
    status_becomes(browser, "已办结")


def test_a_move_in_reaches_the_education_system_and_the_school(
    browser,
    live_server,
    screenshot,
    receiver,
    worker_factory,
    clerk_east,
    approver_east,
    school_staff,
    east_household,
    east_head,
    east_catchment,
    east_rule,
):
    worker_factory()
    _receive_move_in(browser, live_server, east_household)
    _sign_off(browser, live_server)

    child = Person.objects.get(id_number=CHILD_ID, status=Person.Status.ACTIVE)
    assert child.household == east_household
    # The receiver process stores only events whose signature it verified.
    received = wait_until(
        lambda: [e for e in receiver.events() if e["child"] == str(child.pk)],
        timeout=20,
        message="the move-in never reached the receiver",
    )
    assert [(e["type"], e["sequence"]) for e in received] == [("person_added", 1)]

    browser.delete_all_cookies()
    log_in(browser, live_server, "school_staff")
    notices = browser.find_element(By.CSS_SELECTOR, "[data-testid=notice-list]").text
    assert "刘小雨" in notices
    assert CHILD_ID not in notices
    screenshot("school-notice-after-move-in")

    browser.find_element(By.NAME, "id_number").send_keys(CHILD_ID)
    browser.find_element(By.NAME, "year").clear()
    browser.find_element(By.NAME, "year").send_keys("2027")
    browser.find_element(By.CSS_SELECTOR, "[data-testid=lookup-form] button[type=submit]").click()
    verdict = browser.find_element(By.CSS_SELECTOR, "[data-testid=verdict]")
    reasons = browser.find_element(By.CSS_SELECTOR, "[data-testid=reasons]").text
    assert verdict.get_attribute("data-verdict") == "not_eligible"
    assert "不满12个月" in reasons  # registered at the address for too short a time, and the page says why
    assert "已满6周岁" in reasons
    screenshot("school-eligibility-after-move-in")
