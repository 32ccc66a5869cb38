"""Headless Debian Chromium driven by Selenium through chromium-driver (no browser download)."""

import os
from pathlib import Path

import pytest

from tests.services import CHROMEDRIVER, CHROMIUM, browser_missing

SCREENSHOTS = Path(
    os.environ.get("HUKOU_SCREENSHOT_DIR", Path(__file__).resolve().parents[1] / "test-artifacts" / "screenshots")
)


def _chromium():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        "--window-size=1280,900",
    ):
        options.add_argument(flag)
    # The browser asks for English: pages must still default to Chinese.
    options.add_experimental_option("prefs", {"intl.accept_languages": "en-US,en"})
    # The console is kept so that every browser test also proves the pages run under the
    # Content-Security-Policy: a blocked script, style, websocket or audio clip is logged there.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(5)
    return driver


class _SharedChromium:
    """One Chromium for the whole run instead of one per test (starting it was several seconds
    of every browser test). Each test gets it back as a fresh browser would be: one blank tab at
    the default size, no cookies (the pages keep no other client-side state: no local or
    session storage), an empty cache. A browser that no longer answers is replaced."""

    driver = None

    def get(self):
        if self.driver is not None:
            try:
                self._reset(self.driver)
                return self.driver
            except Exception:  # a crashed or hung browser: start another
                self.close()
        self.driver = _chromium()
        return self.driver

    @staticmethod
    def _reset(driver):
        handles = driver.window_handles
        for handle in handles[1:]:
            driver.switch_to.window(handle)
            driver.close()
        driver.switch_to.window(handles[0])
        driver.get("about:blank")
        driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
        driver.execute_cdp_cmd("Network.clearBrowserCache", {})
        driver.set_window_size(1280, 900)
        driver.implicitly_wait(5)

    def close(self):
        if self.driver is not None:
            try:
                self.driver.quit()
            finally:
                self.driver = None


@pytest.fixture(scope="session")
def _shared_chromium():
    shared = _SharedChromium()
    yield shared
    shared.close()


def csp_violations(driver) -> list[str]:
    """Console messages of the Content-Security-Policy refusing something since the last call."""
    return [entry["message"] for entry in driver.get_log("browser") if "Content Security Policy" in entry["message"]]


def _quit_checking_csp(driver) -> None:
    try:
        violations = csp_violations(driver)
    finally:
        driver.quit()
    assert violations == [], "the Content-Security-Policy blocked something:\n" + "\n".join(violations)


@pytest.fixture
def browser(request, _shared_chromium):
    if browser_missing():
        pytest.skip(browser_missing())  # the autouse service check fails instead on CI
    driver = _shared_chromium.get()
    csp_violations(driver)  # the log of an earlier test is not this test's
    yield driver
    violations = csp_violations(driver)
    assert violations == [], "the Content-Security-Policy blocked something:\n" + "\n".join(violations)


@pytest.fixture
def second_browser(browser):
    """Another browser with its own cookies: a second clerk at the next window."""
    driver = _chromium()
    yield driver
    _quit_checking_csp(driver)


@pytest.fixture
def screenshot(browser):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def _take(name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        browser.save_screenshot(str(path))
        return path

    return _take
