"""Sample images (样例): every seeded item of every business type has one that renders, shown on
the public guide and opened beside a failed check; stamped 样例/SAMPLE, with no personal data."""

import io

import numpy as np
import pytest
from django.urls import reverse
from PIL import Image

from documents.models import ChecklistItem
from documents.samples import SIZE, sample_render
from hukou.catalogue import CATALOGUE

pytestmark = pytest.mark.django_db


def test_every_seeded_item_of_every_business_type_has_a_sample_that_renders(client):
    codes = {row[0] for row in CATALOGUE}
    items = list(ChecklistItem.objects.filter(checklist__business_type__code__in=codes).select_related("checklist"))
    assert {item.checklist.business_type.code for item in items} == codes and len(codes) >= 8
    for item in items:
        response = client.get(reverse("documents:item_sample", args=[item.pk]))
        assert response.status_code == 200, item.code
        assert response["Content-Type"] == "image/png"
        image = Image.open(io.BytesIO(response.content))
        image.verify()
        assert image.size == SIZE


def test_the_guide_shows_each_items_sample(client):
    item = ChecklistItem.objects.filter(checklist__business_type__code="school_certificate").first()
    page = client.get(reverse("documents:guide_detail", args=["school_certificate"])).content.decode()
    assert f'src="{reverse("documents:item_sample", args=[item.pk])}"' in page
    assert "样例" in page


def test_a_sample_is_stamped_red_and_drawn_the_same_every_time():
    first = sample_render(name="户口簿", text="户主页与本人页", seal=True)
    assert first == sample_render(name="户口簿", text="户主页与本人页", seal=True)
    rgb = np.asarray(Image.open(io.BytesIO(first)).convert("RGB")).astype(int)
    middle = rgb[SIZE[1] // 3 : 2 * SIZE[1] // 3]
    reddish = (middle[..., 0] - middle[..., 1] > 25) & (middle[..., 0] > 200)
    assert reddish.mean() > 0.01  # the diagonal 样例 / SAMPLE stamp across the middle
    assert first != sample_render(name="结婚证", text="户主页与本人页", seal=True)


def test_an_unknown_item_has_no_sample(client):
    assert client.get(reverse("documents:item_sample", args=[999999])).status_code == 404
