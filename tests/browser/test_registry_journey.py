"""The registry end to end, as a clerk, an approver and the public see it: a birth and a move-in
from reception to certificate; the certificate's QR link verifies; the person's timeline, the
station's access log and the change events show what happened."""

import datetime as dt
import subprocess

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from common.idnumber import make_id_number
from hukou.models import AccessLog, Certificate, ChangeEvent, Person
from hukou.selectors.certificates import certificate_pdf, certificate_verify_url
from tests.browser.steps import log_in, status_becomes
from tests.hukou.catalogue import business_catalogue  # noqa: F401  (fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("business_catalogue"),
]
NEWCOMER_ID = make_id_number(region="110105", birth_date=dt.date(1990, 7, 9), sequence=31, male=False)


def _receive(browser, live_server, business, fields, selects, dates):
    log_in(browser, live_server, "clerk_east")
    browser.find_element(By.LINK_TEXT, "受理业务").click()
    browser.find_element(By.LINK_TEXT, business).click()
    form = browser.find_element(By.CSS_SELECTOR, "[data-testid=case-receive-form]")
    for name, value in fields.items():
        form.find_element(By.NAME, name).send_keys(value)
    for name, label in selects.items():
        form.find_element(By.NAME, name).send_keys(label)
    for name, value in dates.items():
        browser.execute_script(f"document.querySelector('[name={name}]').value = '{value}'")
    form.find_element(By.NAME, "applicant_name").send_keys(Keys.ENTER)
    status_becomes(browser, "已受理")
    browser.find_element(By.XPATH, "//button[text()='提交审签']").click()
    status_becomes(browser, "审核中")


def _sign_off_and_issue(browser, live_server, screenshot, name):
    browser.delete_all_cookies()
    log_in(browser, live_server, "approver_east")
    browser.find_element(By.CSS_SELECTOR, "[data-testid=approval-list] a").click()
    browser.find_element(By.XPATH, "//button[text()='审签通过并登记']").click()
    status_becomes(browser, "已办结")
    browser.find_element(By.CSS_SELECTOR, "[data-testid=issue-certificate]").click()
    screenshot(f"{name}-certificate-issue")
    browser.find_element(By.CSS_SELECTOR, "[data-testid=issue-form] button[type=submit]").click()
    serial = browser.find_element(By.CSS_SELECTOR, "[data-testid=serial]").text
    screenshot(f"{name}-certificate")
    return Certificate.objects.get(serial=serial)


def _verify_through_the_qr_link(browser, certificate, screenshot, name, tmp_path):
    url = certificate_verify_url(certificate)
    pdf = tmp_path / f"{certificate.serial}.pdf"
    pdf.write_bytes(certificate_pdf(certificate))
    links = subprocess.run(["pdfinfo", "-url", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert url in links  # the QR code is a link to the verification page
    browser.delete_all_cookies()  # the public, not logged in
    browser.get(url)
    verdict = browser.find_element(By.CSS_SELECTOR, "[data-testid=verify]").text
    assert "有效" in verdict
    assert certificate.serial in verdict
    assert certificate.person.name not in verdict  # only the masked name
    assert not certificate.person.id_number or certificate.person.id_number not in verdict
    screenshot(f"{name}-verified")


def test_birth_and_move_in_from_reception_to_a_verified_certificate(
    browser,
    live_server,
    settings,
    screenshot,
    tmp_path,
    clerk_east,
    approver_east,
    admin_east,
    east_household,
    east_head,
):
    settings.SITE_URL = live_server.url
    _receive(
        browser, live_server, "出生登记",
        {"household_number": east_household.number, "applicant_name": "张建华", "name": "张小红",
         "father_id_number": east_head.id_number},
        {"sex": "女", "relationship": "女"},
        {"birth_date": "2026-11-01"},
    )  # fmt: skip
    birth_certificate = _sign_off_and_issue(browser, live_server, screenshot, "birth")
    _verify_through_the_qr_link(browser, birth_certificate, screenshot, "birth", tmp_path)

    _receive(
        browser, live_server, "迁入登记",
        {"household_number": east_household.number, "applicant_name": "赵来人", "name": "赵来人",
         "id_number": NEWCOMER_ID, "native_place": "北京"},
        {"sex": "女", "relationship": "妻"},
        {"birth_date": "1990-07-09"},
    )  # fmt: skip
    move_in_certificate = _sign_off_and_issue(browser, live_server, screenshot, "move-in")
    _verify_through_the_qr_link(browser, move_in_certificate, screenshot, "move-in", tmp_path)

    child = Person.objects.get(name="张小红", household=east_household)
    newcomer = Person.objects.get(id_number=NEWCOMER_ID)
    assert (birth_certificate.person, move_in_certificate.person) == (child, newcomer)
    assert newcomer.registered_at_address_on == dt.date.today()
    added = ChangeEvent.objects.filter(kind=ChangeEvent.Kind.PERSON_ADDED).values_list("person", "case__number")
    assert sorted(added) == sorted(
        [(child.pk, birth_certificate.case.number), (newcomer.pk, move_in_certificate.case.number)]
    )

    # The newcomer's page: the timeline names the case and the officers; the view is logged.
    browser.delete_all_cookies()
    log_in(browser, live_server, "clerk_east")
    browser.get(f"{live_server.url}/hukou/persons/{newcomer.pk}/")
    timeline = browser.find_element(By.CSS_SELECTOR, "[data-testid=timeline]").text
    assert move_in_certificate.case.number in timeline
    screenshot("move-in-person-timeline")

    browser.delete_all_cookies()
    log_in(browser, live_server, "admin_east")
    browser.get(f"{live_server.url}/hukou/station/access-log/")
    log = browser.find_element(By.CSS_SELECTOR, "[data-testid=access-log]").text
    assert f"person:{newcomer.pk}" in log
    assert AccessLog.objects.filter(user=clerk_east, person=newcomer, action=AccessLog.Action.VIEW).exists()
    screenshot("station-access-log")
