"""办事指南: public, no login, phone-sized; generated from the same checklists the pre-review uses."""

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from common.views import bad_request
from documents.forms import answers_from
from documents.samples import item_sample_png
from documents.selectors import guide_checklist, guide_checklists, sample_item


@require_GET
def guide_index(request):
    return render(request, "documents/guide_index.html", {"checklists": guide_checklists()})


@require_GET
def guide_detail(request, code: str):
    """Conditions, materials (★ core / 容缺-able), samples, time limit, where; with ``?asked=1``
    the answers in the query string narrow the list the same way an application does."""
    checklist = guide_checklist(code=code)
    questions = list(checklist.questions.all())
    items = list(checklist.items.all())
    try:
        answers = answers_from(request.GET, questions) if request.GET.get("asked") else None
    except ValidationError as error:
        return bad_request(request, message=error.messages[0])
    if answers is not None:
        items = [item for item in items if item.applies(answers)]
    context = {"checklist": checklist, "questions": questions, "items": items, "answers": answers}
    return render(request, "documents/guide_detail.html", context)


@require_GET
@cache_control(public=True, max_age=3600)
def item_sample(request, item_id: int):
    """The item's sample image (样例): an uploaded specimen photo if an admin gave one, otherwise
    the specimen drawn from the item (documents/samples.py). Public like the guide."""
    item = sample_item(item_id=item_id)
    if item.sample_image:
        return redirect(item.sample_image.url)
    response = HttpResponse(item_sample_png(item), content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    return response
