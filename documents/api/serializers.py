"""Shapes of the materials pre-review API (input shapes only; the rules live in the services).
ID numbers are masked by role with hukou's one filter (``id_for``)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from documents.models import Application, ApplicationItem, Checklist, ChecklistItem, Notice, Question, Upload, Verdict
from hukou.templatetags.registry import id_for


class QuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Question
        fields = ["code", "text", "help_text"]


class ChecklistItemSerializer(serializers.ModelSerializer):
    audit_points = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = ChecklistItem
        fields = [
            "code",
            "name",
            "description",
            "how_to",
            "is_core",
            "when",
            "validity_months",
            "sample_text",
            "audit_points",
        ]


class BusinessTypeSerializer(serializers.ModelSerializer):
    """A business type with the checklist in force (the 办事指南 summary)."""

    code = serializers.CharField(source="business_type.code")
    name = serializers.CharField(source="business_type.name")
    questions = QuestionSerializer(many=True)

    class Meta:
        model = Checklist
        fields = [
            "code",
            "name",
            "title",
            "version",
            "effective_from",
            "conditions",
            "where",
            "legal_basis",
            "questions",
        ]


class GuideSerializer(BusinessTypeSerializer):
    items = ChecklistItemSerializer(many=True)

    class Meta(BusinessTypeSerializer.Meta):
        fields = [*BusinessTypeSerializer.Meta.fields, "items"]


class AnswersSerializer(serializers.Serializer):
    answers = serializers.DictField(child=serializers.BooleanField(), allow_empty=True)


class ComputedChecklistSerializer(serializers.Serializer):
    code = serializers.CharField()
    version = serializers.IntegerField()
    answers = serializers.DictField(child=serializers.BooleanField())
    items = ChecklistItemSerializer(many=True)


class ApplicationCreateSerializer(serializers.Serializer):
    business_type = serializers.SlugField(help_text="Business type code, e.g. school_certificate")
    child = serializers.IntegerField(required=False, allow_null=True, help_text="Person id of the parent's child")
    station = serializers.IntegerField(required=False, allow_null=True, help_text="Needed without a child")
    answers = serializers.DictField(child=serializers.BooleanField(), required=False)


class TieSerializer(serializers.Serializer):
    booking = serializers.CharField(max_length=12, help_text="The parent's own booking code")


class UploadFileSerializer(serializers.Serializer):
    file = serializers.FileField()


class VerdictSerializer(serializers.ModelSerializer):
    audit_point = serializers.CharField(source="audit_point.code")
    description = serializers.CharField(source="audit_point.description")

    class Meta:
        model = Verdict
        fields = ["audit_point", "description", "result", "reason", "source", "decided_at"]


class UploadSerializer(serializers.ModelSerializer):
    verdicts = VerdictSerializer(many=True, read_only=True)

    class Meta:
        model = Upload
        fields = ["id", "original_name", "content_type", "state", "findings", "uploaded_at", "checked_at", "verdicts"]


class ApplicationItemSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="item.code")
    name = serializers.CharField(source="item.name")
    is_core = serializers.BooleanField(source="item.is_core")
    current_upload = serializers.SerializerMethodField()

    class Meta:
        model = ApplicationItem
        fields = ["id", "code", "name", "is_core", "status", "reason", "overridden", "current_upload"]

    @extend_schema_field(UploadSerializer(allow_null=True))
    def get_current_upload(self, owed):
        uploads = getattr(owed, "current_uploads", None)
        return UploadSerializer(uploads[0]).data if uploads else None


@extend_schema_field(OpenApiTypes.STR)
class MaskedIdField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return instance

    def to_representation(self, application):
        return id_for(application.applicant_id_number, self.context["user"])


class ApplicationListSerializer(serializers.ModelSerializer):
    business_type = serializers.CharField(source="checklist.business_type.code")
    title = serializers.CharField(source="checklist.title")
    child_name = serializers.CharField(source="child.name", default="")
    booking = serializers.CharField(source="booking.code", default=None)
    case = serializers.CharField(source="case.number", default=None)

    class Meta:
        model = Application
        fields = [
            "id",
            "business_type",
            "title",
            "status",
            "station",
            "applicant_name",
            "child_name",
            "booking",
            "case",
        ]


class ApplicationDetailSerializer(ApplicationListSerializer):
    applicant_id_number = MaskedIdField()
    items = ApplicationItemSerializer(many=True)

    class Meta(ApplicationListSerializer.Meta):
        fields = [
            *ApplicationListSerializer.Meta.fields,
            "applicant_id_number",
            "answers",
            "answered_at",
            "commitment_signed_at",
            "items",
        ]


class OneTimeNoticeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notice
        fields = ["version", "items", "deadline", "legal_basis", "contact", "issued_at"]
