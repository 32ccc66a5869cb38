"""Booking meets pre-review, in a real browser: on a phone-sized window a parent books a visit for
their child, starts the pre-review from the booking confirmation, uploads two photos (one sharp,
one blurred) and sees each item's state on the confirmation page; at the station the clerk checks
the booking in at the desk and sees the same state with a link to the review, calls the ticket,
finishes it and receives the case from the application without typing anything.

The OCR engine is replaced by the text the sharp page shows (its accuracy is measured in
tests/documents/test_ocr_accuracy.py); the blurred photo is refused by the quality check before
any OCR. Celery runs in-process, so a page that comes back after an upload shows the verdict.
"""

import pytest
from django.apps import apps
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions

from appointments.models import Ticket
from documents.models import Application
from documents.seed import seed_load
from hukou.models import BusinessType, Case
from tests import upload_samples as samples
from tests.appointments.queue_helpers import slot_today
from tests.browser.steps import log_in, wait
from tests.hukou.catalogue import business_catalogue  # noqa: F401  (fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("business_catalogue"),
]


@pytest.fixture
def eager_celery():
    from config.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


def _upload(browser, tmp_path, code, image):
    path = tmp_path / f"{code}.jpg"
    image.save(path, "JPEG", quality=88)
    browser.find_element(By.CSS_SELECTOR, f"[data-testid=file-{code}]").send_keys(str(path))
    card = (By.CSS_SELECTOR, f"[data-code={code}]")
    wait(browser, 60).until(lambda b: b.find_element(*card).get_attribute("data-status") not in ("missing", "pending"))


def _states(browser) -> dict[str, tuple[str, str]]:
    lines = browser.find_elements(By.CSS_SELECTOR, "[data-testid=material-line]")
    return {line.get_attribute("data-name"): (line.get_attribute("data-state"), line.text) for line in lines}


def test_a_parent_ties_the_pre_review_to_a_booking_and_the_clerk_sees_it_at_check_in(
    browser, live_server, screenshot, eager_celery, settings, tmp_path, monkeypatch, parent, east_child, clerk_east
):
    seed_load(apps)
    settings.PRIVATE_UPLOAD_ROOT = tmp_path / "private"
    booklet = ["常住人口登记卡", f"姓名：{east_child.name}", f"公民身份号码：{east_child.id_number}"]
    monkeypatch.setattr("documents.services.prereview.ocr_text", lambda image: "\n".join(booklet))
    school = BusinessType.objects.get(code="school_certificate")
    slot = slot_today(east_child.household.station, school, minutes_from_now=20)

    # The parent books on a phone.
    browser.set_window_size(390, 844)
    log_in(browser, live_server, parent.username)
    browser.get(f"{live_server.url}/appointments/slots/?business_type={school.pk}&station={slot.station_id}")
    browser.find_element(By.CSS_SELECTOR, f"[data-testid=child-{east_child.pk}]").click()
    browser.find_element(By.CSS_SELECTOR, f"[data-testid=slot-{slot.pk}]").click()
    browser.find_element(By.CSS_SELECTOR, "[data-testid=book-submit]").click()
    code = (
        wait(browser)
        .until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "[data-testid=booking-code]")))
        .text
    )
    materials = browser.find_element(By.CSS_SELECTOR, "[data-testid=materials]")
    assert materials.get_attribute("data-source") == "checklist" and "户口簿" in materials.text
    screenshot("visit-confirmation-checklist-phone")

    # ... starts the pre-review for this visit, answers, uploads a sharp and a blurred photo.
    browser.find_element(By.CSS_SELECTOR, "[data-testid=start-prereview]").click()
    for question in ("first_enrolment",):
        wait(browser).until(
            expected_conditions.element_to_be_clickable((By.CSS_SELECTOR, f"input[name=q_{question}][value=yes]"))
        ).click()
    browser.find_element(By.CSS_SELECTOR, "[data-testid=answers-submit]").click()
    wait(browser).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "[data-testid=checklist]")))
    _upload(browser, tmp_path, "hukou_booklet", samples.document_image(lines=booklet))
    from PIL import ImageFilter

    blurred = samples.document_image(lines=["预防接种证", f"姓名：{east_child.name}"]).filter(
        ImageFilter.GaussianBlur(8)
    )
    _upload(browser, tmp_path, "vaccination", blurred)
    application = Application.objects.get()
    assert application.booking.code == code

    # The confirmation shows each item's state, the reason of the failure, and a link back.
    browser.find_element(By.CSS_SELECTOR, "[data-testid=visit-booking]").click()
    wait(browser).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "[data-source=application]")))
    states = _states(browser)
    assert states["户口簿（首页及儿童本人页）"][0] in {"passed", "needs_person"}
    assert states["预防接种记录"][0] == "failed" and "模糊" in states["预防接种记录"][1]
    assert states["出生医学证明"][0] == "missing" and "未上传" in states["出生医学证明"][1]
    assert (
        browser.find_element(By.CSS_SELECTOR, "[data-testid=application-link]")
        .get_attribute("href")
        .endswith(f"/documents/a/{application.pk}/")
    )
    browser.execute_script(
        "arguments[0].scrollIntoView()", browser.find_element(By.CSS_SELECTOR, "[data-testid=materials]")
    )
    screenshot("visit-confirmation-prereview-phone")

    # The clerk checks the visitor in at the desk and sees the same state, with the review link.
    browser.delete_all_cookies()
    browser.set_window_size(1280, 900)
    log_in(browser, live_server, clerk_east.username)
    browser.get(f"{live_server.url}/appointments/desk/")
    browser.find_element(By.NAME, "c-code").send_keys(code)
    browser.find_element(By.CSS_SELECTOR, "[data-testid=desk-checkin]").click()
    desk = wait(browser).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "[data-testid=desk-materials]"))
    )
    assert "模糊" in desk.text and _states(browser)["预防接种记录"][0] == "failed"
    review = browser.find_element(By.CSS_SELECTOR, "[data-testid=review-link]").get_attribute("href")
    assert review.endswith(f"/documents/review/{application.pk}/")
    screenshot("visit-desk-checkin")

    # At the window: the console shows it on the called ticket; finishing receives the case.
    ticket = Ticket.objects.get(booking__code=code)
    window = clerk_east.station.windows.get(number=1)
    browser.get(f"{live_server.url}/appointments/console/{window.pk}/")
    browser.find_element(By.CSS_SELECTOR, "[data-testid=call-next]").click()
    console = wait(browser).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "[data-testid=console-materials]"))
    )
    assert "模糊" in console.text
    screenshot("visit-console")
    browser.find_element(By.CSS_SELECTOR, "[data-testid=start]").click()
    wait(browser).until(expected_conditions.element_to_be_clickable((By.CSS_SELECTOR, "[data-testid=finish]"))).click()
    wait(browser).until(
        expected_conditions.element_to_be_clickable((By.CSS_SELECTOR, "[data-testid=receive-from-application]"))
    ).click()
    wait(browser).until(expected_conditions.url_contains(f"/documents/review/{application.pk}/"))
    case = Case.objects.get()
    ticket.refresh_from_db()
    application.refresh_from_db()
    assert ticket.case == case and application.case == case and case.person_id == east_child.pk
    assert case.number in browser.find_element(By.TAG_NAME, "body").text
    screenshot("visit-case-received")
