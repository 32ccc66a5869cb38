"""Done means: check in at the kiosk, the clerk calls from another browser (and once through the
API), the TV display shows the number within 2 seconds without reload and fetches the right
voice clips, and the parent's phone page updates its position. Screenshots of the kiosk,
console, display and phone are kept in test-artifacts/screenshots/."""

import time

import pytest
import requests
from rest_framework.authtoken.models import Token
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec

from appointments.models import Ticket
from appointments.services import queue as q
from tests.appointments.queue_helpers import booked_today
from tests.browser.steps import log_in, wait
from tests.browser_fixtures import SCREENSHOTS
from tests.hukou.catalogue import business_catalogue  # noqa: F401  (fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("business_catalogue"),
]


def _shot(driver, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))


def _shows(driver, testid, text, seconds=2.0):
    started = time.monotonic()
    wait(driver, seconds).until(ec.text_to_be_present_in_element((By.CSS_SELECTOR, f"[data-testid={testid}]"), text))
    return time.monotonic() - started


def test_a_call_reaches_the_display_and_the_phone_live(
    browser, second_browser, asgi_server, east, clerk_east, aux_east
):
    from hukou.models import BusinessType

    birth = BusinessType.objects.get(code="birth")
    booking = booked_today(clerk_east, birth, minutes_from_now=3)
    q.ticket_walk_in(station_id=east.pk, business_type_id=birth.pk)  # B001, behind the due booking
    window3 = east.windows.get(number=3)

    # The kiosk (a tablet logged in as station staff): check in with the booking code.
    clerk = second_browser
    log_in(clerk, asgi_server, "aux_east")
    clerk.get(asgi_server.url + "/appointments/kiosk/")
    _shot(clerk, "queue-kiosk")
    clerk.find_element(By.NAME, "c-code").send_keys(booking.code)
    clerk.find_element(By.NAME, "check_in").click()
    assert _shows(clerk, "ticket-number", "A001", seconds=10) >= 0
    ticket = Ticket.objects.get(number="A001")

    # The TV display and, in a second tab, the parent's phone (one person ahead: A001 is due).
    browser.get(asgi_server.url + f"/appointments/display/{east.code}/")
    wait(browser).until(ec.presence_of_element_located((By.CSS_SELECTOR, "#live.online")))
    display_tab = browser.current_window_handle
    browser.switch_to.new_window("tab")
    phone_tab = browser.current_window_handle
    walk_in = Ticket.objects.get(number="B001")
    browser.set_window_size(420, 900)
    browser.get(asgi_server.url + f"/appointments/t/{walk_in.token}/")
    _shows(browser, "live-state", "实时", seconds=10)
    assert browser.find_element(By.CSS_SELECTOR, "[data-testid=ahead]").text == "1"
    _shot(browser, "queue-phone-waiting")

    # The clerk calls from the console of window 3.
    clerk.delete_all_cookies()
    log_in(clerk, asgi_server, "clerk_east")
    clerk.get(asgi_server.url + f"/appointments/console/{window3.pk}/")
    _shot(clerk, "queue-console")
    clerk.find_element(By.CSS_SELECTOR, "[data-testid=call-next]").click()

    assert _shows(browser, "ahead", "0") < 2.0  # the phone, without reload
    browser.switch_to.window(display_tab)
    assert _shows(browser, "now-number", "A001") < 2.0
    assert browser.find_element(By.CSS_SELECTOR, "[data-testid=now-window]").text == "3"
    browser.set_window_size(1280, 720)
    _shot(browser, "queue-display")
    clips = browser.execute_script("return window.displayClips")
    expected = ["chime", "qing", "letter_a", "d0", "d0", "d1", "hao", "dao", "d3", "hao", "chuangkou"]
    assert [c.rsplit("/", 1)[1] for c in clips] == [f"{name}.wav" for name in expected]
    wait(browser, 5).until(lambda _: all(f"/static/appointments/voice/{n}.wav" in asgi_server.paths for n in expected))
    _shot(clerk, "queue-console-called")

    # Finish A001, then call B001 through the API: the display shows it too, and the phone says "your turn".
    q.ticket_start(actor=clerk_east, ticket_id=ticket.pk)
    q.ticket_finish(actor=clerk_east, ticket_id=ticket.pk)
    token = Token.objects.create(user=clerk_east).key
    answer = requests.post(
        f"{asgi_server.url}/api/v1/appointments/windows/{east.windows.get(number=1).pk}/call-next/",
        headers={"Authorization": f"Token {token}"},
        timeout=10,
    )
    assert answer.status_code == 200 and answer.json()["number"] == "B001"
    assert _shows(browser, "now-number", "B001") < 2.0
    assert browser.find_element(By.CSS_SELECTOR, "[data-testid=now-window]").text == "1"
    browser.switch_to.window(phone_tab)
    _shows(browser, "your-turn", "轮到您了")
    _shot(browser, "queue-phone-your-turn")
    assert browser.execute_script("return performance.getEntriesByType('navigation').length") == 1  # never reloaded
