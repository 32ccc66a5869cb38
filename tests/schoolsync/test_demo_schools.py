import datetime as dt
import io

import pytest
from django.core.management import call_command

from accounts.models import User
from schoolsync.models import CatchmentArea, EligibilityRule, Enrolment


@pytest.mark.django_db
def test_the_demo_school_east_finds_an_eligible_demo_child(client):
    out = io.StringIO()
    call_command("demo_data", stdout=out)
    counts = (CatchmentArea.objects.count(), EligibilityRule.objects.count(), Enrolment.objects.count())
    call_command("demo_data", stdout=io.StringIO())
    assert (CatchmentArea.objects.count(), EligibilityRule.objects.count(), Enrolment.objects.count()) == counts
    assert set(EligibilityRule.objects.values_list("year", flat=True)) == {2026, 2027}
    assert Enrolment.objects.filter(school__code="360102001").count() == 2
    id_number = next(line for line in out.getvalue().splitlines() if "school_east can look up" in line).split()[-4]
    client.force_login(User.objects.get(username="school_east"))
    body = client.post(
        "/api/v1/school/eligibility/", {"id_number": id_number, "year": 2027}, content_type="application/json"
    ).json()
    assert body["verdict"] == "eligible", body["reasons"]
    assert body["items"]["id_number"] == id_number
    assert dt.date.fromisoformat(body["items"]["birth_date"]) <= dt.date(2021, 8, 31)
