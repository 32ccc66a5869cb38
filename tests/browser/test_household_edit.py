"""Two staff members edit the same household in two browsers: the second save is refused with a
clear message and the current values, never a silent lost update."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select

from hukou.models import ChangeEvent
from tests.browser.steps import log_in, wait
from tests.browser_fixtures import SCREENSHOTS
from tests.factories import AddressFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _open_edit_page(browser, live_server, username, household):
    log_in(browser, live_server, username)
    browser.get(f"{live_server.url}/hukou/households/{household.pk}/")
    browser.find_element(By.CSS_SELECTOR, "[data-testid=household-edit-link]").click()
    assert "修改户信息" in browser.find_element(By.TAG_NAME, "h1").text


def _save(browser, address, reason):
    form = browser.find_element(By.CSS_SELECTOR, "[data-testid=household-edit-form]")
    Select(form.find_element(By.NAME, "address")).select_by_visible_text(address.full_text)
    form.find_element(By.NAME, "reason").send_keys(reason, Keys.ENTER)  # saved from the keyboard
    # steps.wait also rides out chromedriver's "node does not belong to the document" mid-load.
    wait(browser).until(expected_conditions.staleness_of(form))


def test_the_second_of_two_clerks_is_refused(
    browser, second_browser, live_server, screenshot, clerk_east, approver_east, east_head
):
    household = east_head.household
    community = household.address.community
    first_address = AddressFactory(community=community, road="青山路", number=88)
    second_address = AddressFactory(community=community, road="青山路", number=99)
    _open_edit_page(browser, live_server, "clerk_east", household)
    _open_edit_page(second_browser, live_server, "approver_east", household)

    _save(browser, first_address, "门牌整顿")
    wait(browser).until(expected_conditions.text_to_be_present_in_element((By.TAG_NAME, "body"), "户信息已保存"))
    assert "户信息已保存" in browser.find_element(By.TAG_NAME, "body").text
    assert browser.find_element(By.CSS_SELECTOR, "[data-testid=household-address]").text == first_address.full_text
    screenshot("household-edit-first-saved")

    _save(second_browser, second_address, "第二人修改")
    wait(second_browser).until(
        expected_conditions.text_to_be_present_in_element((By.TAG_NAME, "body"), "您的修改未保存")
    )
    body = second_browser.find_element(By.TAG_NAME, "body").text
    assert "您编辑期间已有其他人修改了此记录" in body
    assert "您的修改未保存" in body
    current = second_browser.find_element(By.CSS_SELECTOR, "[data-testid=current-address]").text
    assert current == first_address.full_text
    second_browser.save_screenshot(str(SCREENSHOTS / "household-edit-second-refused.png"))

    household.refresh_from_db()
    assert (household.address, household.version) == (first_address, 2)
    assert household.history.first().history_change_reason == "门牌整顿"
    assert ChangeEvent.objects.filter(kind=ChangeEvent.Kind.ADDRESS_CHANGED).count() == 1
