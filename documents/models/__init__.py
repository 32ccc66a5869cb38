"""Materials pre-review: checklists as data, applications with uploads and verdicts, notices."""

from documents.models.applications import Application, ApplicationItem, Upload, Verdict
from documents.models.catalogue import AuditPoint, Checklist, ChecklistItem, Question
from documents.models.notices import Notice, NoticeOverride, Reminder

__all__ = [
    "Application",
    "ApplicationItem",
    "AuditPoint",
    "Checklist",
    "ChecklistItem",
    "Notice",
    "NoticeOverride",
    "Question",
    "Reminder",
    "Upload",
    "Verdict",
]
