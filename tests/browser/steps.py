"""Steps the browser journeys share: log in through the real login page, wait for a case status.

Waits ignore WebDriverException while a page is replaced: chromedriver reports an element of the
outgoing page as "Node with given id does not belong to the document" rather than as stale.
"""

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from tests.cast import PASSWORD


def wait(browser, seconds: float = 10) -> WebDriverWait:
    return WebDriverWait(browser, seconds, ignored_exceptions=(WebDriverException,))


def log_in(browser, live_server, username: str) -> None:
    browser.get(live_server.url + "/")
    browser.find_element(By.CSS_SELECTOR, "[data-testid=login-link]").click()
    browser.find_element(By.NAME, "username").send_keys(username)
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "button[type=submit].primary").click()
    wait(browser).until_not(expected_conditions.url_contains("/accounts/login/"))


def status_becomes(browser, text: str) -> None:
    """Waits across the page load that follows a POST until the case status reads ``text``."""
    status = (By.CSS_SELECTOR, "[data-testid=case-status]")
    wait(browser).until(expected_conditions.text_to_be_present_in_element(status, text))
