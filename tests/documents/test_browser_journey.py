"""Done means, in a real browser on a phone-sized window: a parent answers the questions, sees the
checklist, uploads photos (one blurred, one with the wrong name, one bill older than 3 months);
the page shows each verdict with its reason; the one-time notice lists exactly those three; the
core items pass, so the clerk accepts with missing items; the parent re-uploads online and the
case proceeds; a second case lapses after the deadline.

The real OCR engine reads every photo. Celery runs in-process here (``task_always_eager``), so
each upload's pre-review has finished when the page comes back; with a worker the page polls
``status.json`` instead (tests/documents/test_pages.py covers that endpoint).
"""

import datetime as dt

import pytest
from django.apps import apps
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions

from documents.models import Application
from documents.seed import seed_load
from hukou.models import Case
from hukou.services.cases import case_lapse_overdue
from tests import upload_samples as samples
from tests.browser.steps import log_in, wait
from tests.documents.conftest import recent
from tests.hukou.catalogue import business_catalogue  # noqa: F401  (fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("business_catalogue"),
]
BAD = {"vaccination", "community_residence", "utility_bills"}


def _pages(child, parent, *, fixed=False):
    doc = samples.document_image
    pages = {
        "birth_medical": doc(["出生医学证明", f"姓名：{child.name}", "出生日期：2020年05月01日", child.id_number]),
        "hukou_booklet": doc(["常住人口登记卡", f"姓名：{child.name}", child.id_number]),
        "guardian_id": doc(["居民身份证", f"姓名：{parent.real_name}", parent.id_number]),
        "marriage_cert": doc(["结婚证", f"持证人：{parent.real_name}"]),
        "child_photo": doc(["儿童照片"]),
        "purchase_contract": doc(["商品房买卖合同", "网签备案"]),
        "purchase_invoice": doc(["销售不动产统一发票"]),
    }
    bad = {
        "vaccination": doc(["预防接种证", f"姓名：{child.name}"]),
        "community_residence": doc(["居住证明", "姓名：王小红", "青山社区居委会", f"日期：{recent(5)}"], seal=True),
        "utility_bills": doc(["电费缴费凭证", f"缴费日期：{recent(150)}"]),
    }
    if fixed:
        bad["community_residence"] = doc(
            ["居住证明", f"姓名：{child.name}", "青山社区居委会", f"日期：{recent(2)}"], seal=True
        )
        bad["utility_bills"] = doc(["电费缴费凭证", f"缴费日期：{recent(12)}"])
        return bad
    from PIL import ImageFilter

    bad["vaccination"] = bad["vaccination"].filter(ImageFilter.GaussianBlur(8))
    return {**pages, **bad}


def _upload(browser, tmp_path, code, image):
    path = tmp_path / f"{code}-{id(image)}.jpg"
    image.save(path, "JPEG", quality=88)
    card = (By.CSS_SELECTOR, f"[data-code={code}]")
    browser.find_element(By.CSS_SELECTOR, f"[data-testid=file-{code}]").send_keys(str(path))
    # The form submits itself on change; the page comes back with the item checked.
    wait(browser, 60).until(lambda b: b.find_element(*card).get_attribute("data-status") not in ("missing", "pending"))


def _status(browser, code):
    return browser.find_element(By.CSS_SELECTOR, f"[data-code={code}]").get_attribute("data-status")


def test_a_parent_supplements_online_and_the_case_proceeds_without_a_second_trip(
    browser, live_server, screenshot, eager_celery, settings, tmp_path, parent, east_child, clerk_east
):
    seed_load(apps)
    settings.PRIVATE_UPLOAD_ROOT = tmp_path / "private"
    browser.set_window_size(390, 844)  # a phone
    log_in(browser, live_server, parent.username)
    browser.get(live_server.url + "/documents/")
    browser.find_element(By.CSS_SELECTOR, "[data-testid=start-form] button").click()
    for code in ("first_enrolment", "own_property"):
        browser.find_element(By.CSS_SELECTOR, f"input[name=q_{code}][value=yes]").click()
    screenshot("documents-questions-phone")
    browser.find_element(By.CSS_SELECTOR, "[data-testid=answers-submit]").click()
    checklist = wait(browser).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "[data-testid=checklist]"))
    )
    assert "购房发票" in checklist.text and "最近3个月水电缴费单" in checklist.text
    screenshot("documents-checklist-phone")

    for code, image in _pages(east_child, parent).items():
        _upload(browser, tmp_path, code, image)
    screenshot("documents-verdicts-phone")
    statuses = {code: _status(browser, code) for code in _pages(east_child, parent)}
    assert {code for code, status in statuses.items() if status != "passed"} == BAD, statuses
    page = browser.find_element(By.CSS_SELECTOR, "[data-testid=checklist]").text
    assert "模糊" in page and "王小红" in page and "超过3个月" in page

    browser.find_element(By.CSS_SELECTOR, "[data-testid=notice-new]").click()
    rows = browser.find_elements(By.CSS_SELECTOR, "[data-testid=notice-items] tr[data-code]")
    assert {row.get_attribute("data-code") for row in rows} == BAD
    screenshot("documents-notice-phone")
    browser.back()
    browser.refresh()
    browser.find_element(By.CSS_SELECTOR, "[data-testid=commitment-sign]").click()

    application = Application.objects.get()
    browser.delete_all_cookies()
    browser.set_window_size(1280, 900)
    log_in(browser, live_server, "clerk_east")
    browser.get(f"{live_server.url}/documents/review/{application.pk}/")
    browser.find_element(By.CSS_SELECTOR, "[data-testid=receive]").click()
    browser.find_element(By.CSS_SELECTOR, "[data-testid=accept-with-missing]").click()
    wait(browser).until(lambda b: "容缺" in b.find_element(By.CSS_SELECTOR, ".messages").text)
    screenshot("documents-review-accepted")
    application.refresh_from_db()
    assert application.case.status == Case.Status.AWAITING_SUPPLEMENT
    assert set(application.case.missing_items) == {"预防接种记录", "社区居住证明", "最近3个月水电缴费单"}

    browser.delete_all_cookies()
    browser.set_window_size(390, 844)
    log_in(browser, live_server, parent.username)
    browser.get(f"{live_server.url}/documents/a/{application.pk}/")
    for code, image in _pages(east_child, parent, fixed=True).items():
        _upload(browser, tmp_path, code, image)
    application.refresh_from_db()
    assert application.status == Application.Status.PROCEEDING
    assert application.case.status == Case.Status.RECEIVED, "the case goes on without a second trip"
    browser.refresh()
    assert "继续办理" in browser.find_element(By.CSS_SELECTOR, "[data-testid=application]").text
    screenshot("documents-proceeding-phone")


def test_a_second_case_lapses_after_the_deadline_and_the_parent_sees_why(
    browser, live_server, screenshot, eager_celery, settings, tmp_path, parent, east_child, clerk_east, ocr_says
):
    """Set up through the services (the fake OCR reads what each page says), then the deadline
    passes: the registry lapses the case, the parent is told and sees why on the phone."""
    from documents.services.applications import application_answer, application_commitment_sign, application_start
    from documents.services.supplements import reminders_send
    from documents.services.uploads import upload_receive
    from documents.services.window import application_accept_with_missing, application_to_case

    seed_load(apps)
    settings.PRIVATE_UPLOAD_ROOT = tmp_path / "private"
    started = application_start(user=parent, business_type_code="school_certificate", child_id=east_child.pk)
    application = application_answer(
        user=parent, application_id=started.pk, answers={"own_property": True, "property_delivered": False}
    )
    texts = {
        "hukou_booklet": ["常住人口登记卡", f"姓名：{east_child.name}", east_child.id_number],
        "guardian_id": ["居民身份证", f"姓名：{parent.real_name}", parent.id_number],
        "purchase_contract": ["商品房买卖合同"],
        "purchase_invoice": ["发票"],
    }
    for owed in application.items.select_related("item"):
        if owed.item.code in texts:
            upload_receive(
                user=parent, application_item_id=owed.pk, data=ocr_says(texts[owed.item.code]), filename="a.jpg"
            )
    application_to_case(actor=clerk_east, application_id=application.pk)
    application_commitment_sign(user=parent, application_id=application.pk)
    case = application_accept_with_missing(actor=clerk_east, application_id=application.pk)
    assert case.missing_items == ["最近3个月水电缴费单"]

    assert case.number in case_lapse_overdue(today=case.supplement_due_on + dt.timedelta(days=1))
    assert reminders_send()["lapsed"] == 1
    browser.set_window_size(390, 844)
    log_in(browser, live_server, parent.username)
    browser.get(f"{live_server.url}/documents/a/{application.pk}/")
    text = browser.find_element(By.CSS_SELECTOR, "[data-testid=application]").text
    assert "已终止" in text
    screenshot("documents-lapsed-phone")
