"""Certificate PDF (fonts, text, QR link), staff pages and the public verification page."""

import subprocess

import pytest
from django.urls import reverse

from hukou.models import AccessLog, Certificate, CertificatePrint
from hukou.selectors.certificates import certificate_pdf
from hukou.services.certificates import certificate_issue, certificate_revoke

# Skipped on a bare laptop without poppler-utils, a failure under HUKOU_REQUIRE_SERVICES (CI).
needs_poppler = pytest.mark.pdftools


def _pdf_tool(tool, pdf, tmp_path, *args):
    path = tmp_path / "c.pdf"
    path.write_bytes(pdf)
    command = [tool, *args, str(path), "-"] if tool == "pdftotext" else [tool, *args, str(path)]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def _flat(text: str) -> str:
    # Letter-spaced titles and line breaks put whitespace between characters.
    return "".join(text.split())


@needs_poppler
def test_the_enrolment_pdf_has_chinese_text_and_embedded_fonts(east_child, clerk_east, tmp_path, settings):
    settings.SITE_URL = "https://hukou.example.gov.cn"
    certificate = certificate_issue(person=east_child, kind=Certificate.Kind.ENROLMENT, actor=clerk_east)
    pdf = certificate_pdf(certificate)
    text = _pdf_tool("pdftotext", pdf, tmp_path)
    for expected in ("入学户籍证明", "张小明", certificate.serial, "2018-03-01", "张建华（父亲）", "东城派出所"):
        assert expected in _flat(text)
    fonts = _pdf_tool("pdffonts", pdf, tmp_path).splitlines()[2:]
    assert fonts and all(" yes yes yes " in line for line in fonts)
    assert any("HukouSerif" in line for line in fonts)
    # segno cannot decode QR codes; the QR is wrapped in a link to the same URL, a PDF annotation.
    links = _pdf_tool("pdfinfo", pdf, tmp_path, "-url")
    assert f"https://hukou.example.gov.cn/verify/{certificate.token}/" in links


@needs_poppler
def test_the_register_extract_lists_the_households_members(east_child, clerk_east, tmp_path):
    certificate = certificate_issue(person=east_child, kind=Certificate.Kind.REGISTER_EXTRACT, actor=clerk_east)
    text = _pdf_tool("pdftotext", certificate_pdf(certificate), tmp_path)
    assert "常住人口登记卡" in _flat(text) and "张建华" in text and "张小明" in text


def test_a_double_clicked_issue_shows_one_certificate(login, east_child, clerk_east):
    client = login(clerk_east)
    url = reverse("hukou:certificate_new", args=[east_child.pk])
    first = client.post(url, {"kind": "enrolment"})
    second = client.post(url, {"kind": "enrolment"}, follow=True)
    assert first.status_code == 302 and Certificate.objects.count() == 1
    assert "不会重复开具" in second.content.decode()


def test_a_reissue_without_reason_is_refused_on_the_page(login, east_child, clerk_east):
    client = login(clerk_east)
    url = reverse("hukou:certificate_new", args=[east_child.pk])
    client.post(url, {"kind": "enrolment"})
    response = client.post(url, {"kind": "enrolment", "reissue": "1", "reissue_reason": ""})
    assert "补发需要填写原因" in response.content.decode()
    assert Certificate.objects.count() == 1


def test_another_stations_clerk_gets_404(login, east_child, clerk_east, clerk_west):
    certificate = certificate_issue(person=east_child, kind=Certificate.Kind.HUKOU, actor=clerk_east)
    client = login(clerk_west)
    for name in ("hukou:certificate_detail", "hukou:certificate_pdf"):
        assert client.get(reverse(name, args=[certificate.pk])).status_code == 404
    assert client.post(reverse("hukou:certificate_new", args=[east_child.pk]), {"kind": "hukou"}).status_code == 404
    assert Certificate.objects.count() == 1


@pytest.mark.parametrize("who", ["parent", "school_staff"])
def test_parents_and_schools_cannot_open_certificates(request, login, east_child, clerk_east, who):
    certificate = certificate_issue(person=east_child, kind=Certificate.Kind.HUKOU, actor=clerk_east)
    client = login(request.getfixturevalue(who))
    assert client.get(reverse("hukou:certificate_pdf", args=[certificate.pk])).status_code == 403
    assert client.post(reverse("hukou:certificate_new", args=[east_child.pk]), {"kind": "hukou"}).status_code == 403


def test_the_pdf_download_is_access_logged(login, east_child, clerk_east):
    certificate = certificate_issue(person=east_child, kind=Certificate.Kind.HUKOU, actor=clerk_east)
    response = login(clerk_east).get(reverse("hukou:certificate_pdf", args=[certificate.pk]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert AccessLog.objects.filter(action="print", person=east_child, user=clerk_east).count() == 1


def test_opening_a_certificate_page_is_access_logged(login, east_child, clerk_east):
    certificate = certificate_issue(person=east_child, kind=Certificate.Kind.HUKOU, actor=clerk_east)

    login(clerk_east).get(reverse("hukou:certificate_detail", args=[certificate.pk]))

    entry = AccessLog.objects.get(action="view")
    assert (entry.person, entry.user, entry.target) == (east_child, clerk_east, f"certificate:{certificate.serial}")


def test_a_double_submitted_handover_is_logged_once(login, east_child, clerk_east):
    certificate = certificate_issue(person=east_child, kind=Certificate.Kind.HUKOU, actor=clerk_east)
    client = login(clerk_east)
    form = {"collected_by_name": "张建华", "id_checked": "on", "fee": "0", "request_key": "abc"}
    url = reverse("hukou:certificate_print", args=[certificate.pk])
    client.post(url, form)
    client.post(url, form)
    assert CertificatePrint.objects.filter(certificate=certificate, id_checked=True).count() == 1


def test_the_verification_page_shows_masked_data_only(client, east_child, clerk_east):
    certificate = certificate_issue(person=east_child, kind=Certificate.Kind.ENROLMENT, actor=clerk_east)
    page = client.get(f"/verify/{certificate.token}/").content.decode()
    assert "真实有效" in page and certificate.serial in page and "张*明" in page
    assert "张小明" not in page and east_child.id_number not in page
    assert east_child.id_number[:6] + "********" in page
    assert "张建华" not in page and "青山" not in page


def test_the_verification_page_shows_revoked(client, east_child, clerk_east, approver_east):
    certificate = certificate_issue(person=east_child, kind=Certificate.Kind.HUKOU, actor=clerk_east)
    certificate_revoke(certificate=certificate, actor=approver_east, reason="信息有误")
    assert "已撤销" in client.get(f"/verify/{certificate.token}/").content.decode()


def test_an_unknown_token_is_404_and_says_the_certificate_is_not_valid(client, db):
    page = client.get("/verify/not-a-real-token-at-all/")
    assert page.status_code == 404
    assert "此证明无效" in page.content.decode() and "页面不存在" not in page.content.decode()
    assert client.get("/api/v1/verify/not-a-real-token-at-all/").status_code == 404


def test_the_api_issues_idempotently_and_verifies_publicly(client, east_child, clerk_east):
    client.force_login(clerk_east)
    body = {"person": east_child.pk, "kind": "enrolment"}
    first = client.post("/api/v1/certificates/", body, content_type="application/json")
    second = client.post("/api/v1/certificates/", body, content_type="application/json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    refused = client.post("/api/v1/certificates/", body | {"reissue_reason": ""}, content_type="application/json")
    assert refused.status_code == 400 and "补发需要填写原因" in refused.json()["message"]
    client.logout()
    token = Certificate.objects.get().token
    public = client.get(f"/api/v1/verify/{token}/").json()
    assert public["name"] == "张*明" and public["status"] == "valid"
    assert set(public) == {"status", "status_display", "kind", "serial", "issued_on", "station", "name", "id_number"}


def test_the_certificate_keeps_what_was_true_when_issued(client, east_child, clerk_east):
    certificate = certificate_issue(person=east_child, kind=Certificate.Kind.ENROLMENT, actor=clerk_east)
    east_child.name = "李晓华"
    east_child.save()
    page = client.get(f"/verify/{certificate.token}/").content.decode()
    assert "张*明" in page and "李*华" not in page
    assert (
        certificate_issue(person=east_child, kind="enrolment", actor=clerk_east).snapshot["person"]["name"] == "张小明"
    )


def test_the_api_hides_another_stations_certificate(client, east_child, clerk_east, clerk_west):
    certificate = certificate_issue(person=east_child, kind=Certificate.Kind.HUKOU, actor=clerk_east)
    client.force_login(clerk_west)
    assert client.get(f"/api/v1/certificates/{certificate.pk}/").status_code == 404
    refused = client.post(
        "/api/v1/certificates/", {"person": east_child.pk, "kind": "hukou"}, content_type="application/json"
    )
    assert refused.status_code == 404 and Certificate.objects.count() == 1


def test_the_detail_page_needs_few_queries(login, east_child, clerk_east, django_assert_max_num_queries):
    certificate = certificate_issue(person=east_child, kind=Certificate.Kind.HUKOU, actor=clerk_east)
    client = login(clerk_east)
    url = reverse("hukou:certificate_print", args=[certificate.pk])
    for key in ("a", "b", "c"):
        client.post(url, {"collected_by_name": "张建华", "id_checked": "on", "request_key": key})
    with django_assert_max_num_queries(8):
        response = client.get(reverse("hukou:certificate_detail", args=[certificate.pk]))
    assert response.content.decode().count("张建华") >= 3


def test_the_page_issues_for_a_completed_case_and_links_it(login, east_child, clerk_east):
    from tests.factories import completed_case_factory

    case = completed_case_factory(person=east_child, user=clerk_east)
    client = login(clerk_east)
    response = client.post(
        reverse("hukou:certificate_new", args=[east_child.pk]), {"kind": "enrolment", "case": case.pk}
    )
    certificate = Certificate.objects.get()
    assert response.url == reverse("hukou:certificate_detail", args=[certificate.pk])
    assert certificate.case == case and certificate.serial.startswith("RX")
