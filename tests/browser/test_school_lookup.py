"""School staff look a child up by ID number on the school page in headless Chromium."""

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By

from schoolsync.selectors.eligibility import enrolment_year_on
from tests.browser.steps import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_school_staff_looks_up_a_child_and_reads_the_verdict(browser, live_server, screenshot, school_staff, family):
    child = family()
    log_in(browser, live_server, "school_staff")
    assert browser.current_url == live_server.url + "/school/"
    browser.find_element(By.NAME, "id_number").send_keys(child.id_number)
    # The year the lookup would use anyway is filled in for the user.
    assert browser.find_element(By.NAME, "year").get_attribute("value") == str(enrolment_year_on(timezone.localdate()))
    browser.find_element(By.NAME, "year").clear()
    browser.find_element(By.NAME, "year").send_keys("2027")
    browser.find_element(By.CSS_SELECTOR, "[data-testid=lookup-form] button[type=submit]").click()

    verdict = browser.find_element(By.CSS_SELECTOR, "[data-testid=verdict]")
    assert (verdict.get_attribute("data-verdict"), verdict.text) == ("eligible", "符合条件")
    assert "王父、李母" in browser.find_element(By.CSS_SELECTOR, "[data-testid=basic-items]").text
    screenshot("school-lookup")
