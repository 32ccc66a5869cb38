"""A clerk and a parent log in through the real login page in headless Chromium."""

import pytest
from selenium.webdriver.common.by import By

from tests.browser.steps import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_renders_in_chinese(browser, live_server, screenshot):
    browser.get(live_server.url + "/")

    assert "户籍e窗" in browser.title
    assert "家长注册" in browser.find_element(By.TAG_NAME, "body").text
    screenshot("home")


def test_clerk_logs_in_and_lands_on_the_workbench(browser, live_server, screenshot, clerk_east, east_head, west_head):
    log_in(browser, live_server, "clerk_east")

    assert browser.current_url == live_server.url + "/hukou/"
    table = browser.find_element(By.CSS_SELECTOR, "[data-testid=household-list]").text
    assert east_head.household.number in table
    assert west_head.household.number not in table
    assert "户籍民警" in browser.find_element(By.CSS_SELECTOR, "[data-testid=current-user]").text
    screenshot("clerk-workbench")


def test_parent_logs_in_and_sees_their_child(browser, live_server, screenshot, parent, east_child):
    browser.set_window_size(390, 844)  # a phone
    log_in(browser, live_server, parent.username)

    assert browser.current_url == live_server.url + "/accounts/me/"
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "我的家庭" in body
    assert east_child.name in body
    assert east_child.id_number not in body
    screenshot("parent-home-phone")


def test_parent_is_refused_on_the_clerk_workbench(browser, live_server, screenshot, parent):
    log_in(browser, live_server, parent.username)
    browser.get(live_server.url + "/hukou/")

    assert "无权访问" in browser.find_element(By.CSS_SELECTOR, "[data-testid=refusal]").text
    screenshot("parent-refused")
