"""Issue #10 as its users meet it, in headless Chromium: a newborn's ID number from sign-off to
certificate and sync event; an impostor sees nothing while the real parent binds; answers a
school can act on; the Chinese 404 of the embedded default."""

import datetime as dt
import subprocess

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions

from common.idnumber import sex_of, validate_id_number
from hukou.models import BusinessType, Certificate, ChangeEvent, Person
from hukou.selectors.certificates import certificate_pdf
from hukou.services.cases import case_receive, case_submit_for_review
from schoolsync.models import OutboundEvent
from tests.browser.steps import log_in, wait
from tests.hukou.catalogue import business_catalogue  # noqa: F401  (fixture)
from tests.sms_gateway import last_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "safe-Passw0rd-2026"


@pytest.mark.usefixtures("business_catalogue")
def test_a_birth_registration_ends_with_a_valid_unique_id_number_on_the_certificate_and_in_the_sync_event(
    browser, live_server, screenshot, clerk_east, approver_east, east_household, east_head
):
    case = case_receive(
        actor=clerk_east,
        business_type=BusinessType.objects.get(code="birth"),
        applicant_name=east_head.name,
        household=east_household,
        payload={"name": "张小红", "sex": "F", "birth_date": "2026-11-01", "relationship": "30"},
    )
    case_submit_for_review(actor=clerk_east, case_id=case.pk)

    log_in(browser, live_server, "approver_east")
    browser.get(f"{live_server.url}/hukou/cases/{case.pk}/")
    browser.find_element(By.CSS_SELECTOR, "form[action$='/approve/'] button[type=submit]").click()
    wait(browser).until(lambda _: Person.objects.filter(name="张小红", household=east_household).exists())
    child = Person.objects.get(name="张小红", household=east_household)
    assert validate_id_number(child.id_number) == child.id_number and sex_of(child.id_number) == "F"
    assert Person.objects.filter(id_number=child.id_number).count() == 1

    browser.delete_all_cookies()
    log_in(browser, live_server, "clerk_east")
    browser.get(f"{live_server.url}/hukou/persons/{child.pk}/certificates/new/?kind=hukou&case={case.pk}")
    browser.find_element(By.CSS_SELECTOR, "[data-testid=issue-form] button[type=submit]").click()
    wait(browser).until(expected_conditions.url_contains("/hukou/certificates/"))
    screenshot("birth-certificate-with-id-number")
    certificate = Certificate.objects.get(person=child)
    assert certificate.snapshot["person"]["id_number"] == child.id_number
    assert child.id_number in _pdf_text(certificate_pdf(certificate))  # the printed certificate
    event = ChangeEvent.objects.get(person=child, kind="person_added")
    assert OutboundEvent.objects.get(change_event=event).payload["child"]["id_number"] == child.id_number


def _pdf_text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def _register(browser, live_server, gateway, *, mobile, name, id_number):
    browser.get(f"{live_server.url}/accounts/register/")
    browser.find_element(By.NAME, "mobile").send_keys(mobile)
    browser.find_element(By.CSS_SELECTOR, "[data-testid=send-code]").click()
    wait(browser).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".messages .success")))
    fields = {"code": last_code(gateway, mobile), "real_name": name, "id_number": id_number}
    fields |= {"password1": PASSWORD, "password2": PASSWORD}
    for field, value in fields.items():
        element = browser.find_element(By.NAME, field)
        element.clear()
        element.send_keys(value)
    browser.find_element(By.CSS_SELECTOR, "button[value=register]").click()
    wait(browser).until(expected_conditions.url_contains("/accounts/me/"))


def test_an_impostor_with_a_leaked_name_and_id_number_sees_nothing_and_the_real_parent_still_binds(
    browser, live_server, screenshot, sms_gateway, east_head, east_child
):
    east_head.mobile = "13955550000"
    east_head.save(update_fields=["mobile"])

    _register(
        browser, live_server, sms_gateway, mobile="13966660000", name=east_head.name, id_number=east_head.id_number
    )
    page = browser.find_element(By.TAG_NAME, "main").text
    screenshot("impostor-sees-nothing")
    assert "身份尚未核验" in page and east_child.name not in page

    browser.delete_all_cookies()
    _register(
        browser, live_server, sms_gateway, mobile="13955550000", name=east_head.name, id_number=east_head.id_number
    )
    screenshot("real-parent-bound")
    assert east_child.name in browser.find_element(By.TAG_NAME, "main").text


def _look_up(browser, id_number, year):
    browser.find_element(By.NAME, "id_number").clear()
    browser.find_element(By.NAME, "id_number").send_keys(id_number)
    browser.find_element(By.NAME, "year").clear()
    browser.find_element(By.NAME, "year").send_keys(str(year))
    browser.find_element(By.CSS_SELECTOR, "[data-testid=lookup-form] button[type=submit]").click()


def test_the_school_sees_sentences_an_over_age_answer_and_a_no_rules_answer(
    browser, live_server, screenshot, school_staff, family
):
    child = family(birth_date=dt.date(2016, 5, 1))
    log_in(browser, live_server, "school_staff")

    _look_up(browser, child.id_number, 2027)
    verdict = browser.find_element(By.CSS_SELECTOR, "[data-testid=verdict]")
    reasons = browser.find_element(By.CSS_SELECTOR, "[data-testid=reasons]").text
    screenshot("school-over-age")
    assert verdict.get_attribute("data-verdict") == "needs_review"
    assert "超过一年级入学年龄上限" in reasons
    assert "age_" not in reasons and "catchment_" not in reasons

    _look_up(browser, child.id_number, 2028)
    screenshot("school-no-rules")
    assert "该校尚未发布2028年招生规则" in browser.find_element(By.CSS_SELECTOR, "[data-testid=lookup-no-rules]").text


def test_the_embedded_default_s_404_is_the_chinese_page(browser, live_server, db):
    browser.get(f"{live_server.url}/no-such-page/")

    assert "页面不存在" in browser.find_element(By.TAG_NAME, "main").text
    assert "URLconf" not in browser.page_source
