"""Checklists, questions and audit points are edited here; what applicants and the pre-review
wrote is read-only (changes go through the services)."""

from django.contrib import admin

from common.admin import ReadOnlyAdmin
from documents.models import Application, AuditPoint, Checklist, ChecklistItem, Notice, NoticeOverride, Question


@admin.register(AuditPoint)
class AuditPointAdmin(admin.ModelAdmin):
    list_display = ["code", "description", "check_kind", "is_active"]
    list_filter = ["check_kind", "is_active"]
    search_fields = ["code", "description"]


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


class ChecklistItemInline(admin.StackedInline):
    model = ChecklistItem
    extra = 0
    filter_horizontal = ["audit_points"]
    fields = [
        ("code", "name", "is_core", "order"),
        "description",
        "how_to",
        ("when", "keywords", "validity_months"),
        ("sample_image", "sample_text"),
        "audit_points",
    ]


@admin.register(Checklist)
class ChecklistAdmin(admin.ModelAdmin):
    list_display = ["title", "business_type", "version", "effective_from", "effective_until"]
    list_filter = ["business_type"]
    inlines = [QuestionInline, ChecklistItemInline]
    save_as = True  # "save as new" starts the next version from this one


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["pk", "applicant_name", "checklist", "station", "status", "created_at"]
    list_filter = ["status", "station"]


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["application", "version", "deadline", "issued_at"]


@admin.register(NoticeOverride)
class NoticeOverrideAdmin(ReadOnlyAdmin):
    list_display = ["application", "item", "reason", "requested_by", "requested_at"]
