"""Shapes of the registry and case workflow API. Input shape only: the rules live in the services."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.idnumber import mask_id_number
from hukou.models import (
    AccessLog,
    Case,
    CaseTransition,
    Certificate,
    DuplicateSuspect,
    Guardianship,
    Household,
    IdCardApplication,
    Person,
    Station,
)
from hukou.policy import FULL_ID_ROLES
from hukou.selectors.certificates import certificate_verify_url
from hukou.templatetags.registry import id_for


class StationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Station
        fields = ["id", "code", "name", "district", "address", "phone"]


class HouseholdListSerializer(serializers.ModelSerializer):
    address = serializers.CharField(source="address.full_text")
    member_count = serializers.IntegerField()

    class Meta:
        model = Household
        fields = ["id", "number", "kind", "status", "address", "station", "member_count", "version"]


@extend_schema_field(OpenApiTypes.STR)
class IdNumberField(serializers.Field):
    """The ID number in full for FULL_ID_ROLES, masked for everyone else (auxiliary clerks)."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return id_for(value, self.context["request"].user) if value else None


class PersonSummarySerializer(serializers.ModelSerializer):
    id_number = IdNumberField()

    class Meta:
        model = Person
        fields = ["id", "name", "name_pinyin", "id_number", "sex", "birth_date", "relationship", "status", "household"]


class GuardianshipSerializer(serializers.ModelSerializer):
    guardian_name = serializers.CharField(source="guardian.name")
    child_name = serializers.CharField(source="child.name")

    class Meta:
        model = Guardianship
        fields = ["id", "guardian", "guardian_name", "child", "child_name", "relationship", "has_custody", "valid_from"]


class PersonDetailSerializer(serializers.ModelSerializer):
    id_number = IdNumberField()
    household_number = serializers.CharField(source="household.number")
    address = serializers.CharField(source="household.address.full_text")
    guardians = GuardianshipSerializer(source="open_guardianships", many=True)
    wards = GuardianshipSerializer(source="open_wards", many=True)

    class Meta:
        model = Person
        fields = [
            "id", "name", "name_pinyin", "former_names", "id_number", "sex", "birth_date", "ethnicity",
            "native_place", "household", "household_number", "address", "relationship", "status",
            "registered_at_address_on", "father", "mother", "moved_to", "guardians", "wards", "version",
        ]  # fmt: skip


class HouseholdMemberSerializer(PersonSummarySerializer):
    guardians = GuardianshipSerializer(source="open_guardianships", many=True)

    class Meta(PersonSummarySerializer.Meta):
        fields = [*PersonSummarySerializer.Meta.fields, "father", "mother", "guardians"]


class HouseholdDetailSerializer(serializers.ModelSerializer):
    address = serializers.CharField(source="address.full_text")
    members = HouseholdMemberSerializer(many=True)

    class Meta:
        model = Household
        fields = ["id", "number", "kind", "status", "address", "station", "members", "version"]


class ChangeSerializer(serializers.Serializer):
    label = serializers.CharField()
    before = serializers.CharField()
    after = serializers.CharField()


class TimelineEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    source = serializers.CharField()
    title = serializers.CharField()
    actor = serializers.CharField()
    reason = serializers.CharField()
    case_number = serializers.CharField()
    changes = ChangeSerializer(many=True)


class AccessLogSerializer(serializers.ModelSerializer):
    user_name = serializers.CharField(source="user.display_name")

    class Meta:
        model = AccessLog
        fields = ["id", "at", "user", "user_name", "action", "target", "person", "purpose", "ip_address"]


class CaseTransitionSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.real_name", default="", read_only=True)

    class Meta:
        model = CaseTransition
        fields = ["from_status", "to_status", "actor", "at", "note"]


class IdCardSerializer(serializers.ModelSerializer):
    class Meta:
        model = IdCardApplication
        fields = ["photo_taken", "fingerprint_taken", "fee_paid", "fee_amount", "ready_at", "collected_at"]


class CaseListSerializer(serializers.ModelSerializer):
    business_type = serializers.CharField(source="business_type.code")
    business_name = serializers.CharField(source="business_type.name")
    status_display = serializers.CharField(source="get_status_display")
    received_by = serializers.CharField(source="received_by.real_name")

    class Meta:
        model = Case
        fields = [
            "id", "number", "business_type", "business_name", "status", "status_display", "applicant_name",
            "received_by", "received_at", "due_on", "supplement_due_on", "version",
        ]  # fmt: skip


class CaseDetailSerializer(CaseListSerializer):
    applicant_id_number = serializers.SerializerMethodField()
    approved_by = serializers.CharField(source="approved_by.real_name", default=None)
    transitions = CaseTransitionSerializer(many=True, read_only=True)
    id_card = IdCardSerializer(read_only=True, default=None)
    actions = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta(CaseListSerializer.Meta):
        fields = [
            *CaseListSerializer.Meta.fields, "household", "person", "applicant_id_number", "applicant_phone",
            "payload", "missing_items", "approved_by", "completed_at", "outcome_reason", "transitions", "id_card",
            "actions",
        ]  # fmt: skip

    payload = serializers.SerializerMethodField()

    def get_applicant_id_number(self, case) -> str:
        return mask_id_number(case.applicant_id_number)

    def get_payload(self, case) -> dict:
        """The request details; ID numbers inside are masked for roles without full-ID access."""
        user = self.context.get("user")
        if user is not None and user.role in FULL_ID_ROLES:
            return case.payload
        return _masked(case.payload or {})


def _masked(data):
    if isinstance(data, dict):
        return {key: mask_id_number(value) if key == "id_number" else _masked(value) for key, value in data.items()}
    return data


class CaseReceiveSerializer(serializers.Serializer):
    business_type = serializers.SlugField(help_text="Business type code, e.g. birth, move_in, correction.")
    applicant_name = serializers.CharField(max_length=64)
    applicant_id_number = serializers.CharField(max_length=18, required=False, allow_blank=True, default="")
    applicant_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    household = serializers.IntegerField(required=False, allow_null=True, default=None)
    person = serializers.IntegerField(required=False, allow_null=True, default=None)
    payload = serializers.JSONField(required=False, default=dict, help_text="Request details; see docs/cases.md.")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class MissingItemsSerializer(serializers.Serializer):
    missing_items = serializers.ListField(child=serializers.CharField(max_length=128), allow_empty=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class IdCardStepSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=7, decimal_places=2, required=False)
    collected_by_name = serializers.CharField(max_length=64, required=False, default="")


class DuplicateSuspectSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name")
    suspected_of_name = serializers.CharField(source="suspected_of.name")

    class Meta:
        model = DuplicateSuspect
        fields = ["id", "person", "person_name", "suspected_of", "suspected_of_name", "reason", "status", "decided_at"]


class DuplicateDecisionSerializer(serializers.Serializer):
    confirmed = serializers.BooleanField()
    note = serializers.CharField()


class HouseholdSerializer(serializers.ModelSerializer):
    address_text = serializers.CharField(source="address.full_text", read_only=True)

    class Meta:
        model = Household
        fields = ["id", "number", "kind", "status", "address", "address_text", "version"]
        read_only_fields = ["id", "number", "status", "version"]


class HouseholdUpdateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Household.Kind.choices, required=False)
    address = serializers.IntegerField(required=False)
    reason = serializers.CharField(max_length=255)


class ArchivePageUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    title = serializers.CharField(max_length=128)
    person = serializers.IntegerField(required=False, allow_null=True, default=None)
    household = serializers.IntegerField(required=False, allow_null=True, default=None)
    case = serializers.IntegerField(required=False, allow_null=True, default=None)


class ChangeHeadSerializer(serializers.Serializer):
    new_head = serializers.IntegerField()
    old_head_relationship = serializers.CharField(max_length=2)
    reason = serializers.CharField()


class GuardianshipSetSerializer(serializers.Serializer):
    guardian = serializers.IntegerField()
    relationship = serializers.CharField(max_length=2)
    has_custody = serializers.BooleanField(default=True)
    valid_from = serializers.DateField(required=False, allow_null=True, default=None)
    reason = serializers.CharField()


class GuardianshipEndSerializer(serializers.Serializer):
    valid_until = serializers.DateField(required=False, allow_null=True, default=None)
    reason = serializers.CharField()


class AccessLogFilterSerializer(serializers.Serializer):
    user = serializers.IntegerField(required=False)
    action = serializers.ChoiceField(choices=AccessLog.Action.choices, required=False)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False, help_text="inclusive")


# --- Certificates -------------------------------------------------------------------------------


class CertificateIssueSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Certificate.Kind.choices[1:])
    case = serializers.IntegerField(required=False, allow_null=True)
    reissue_reason = serializers.CharField(required=False, allow_blank=True, allow_null=True, default=None)


class CertificateSerializer(serializers.ModelSerializer):
    verify_url = serializers.SerializerMethodField()

    class Meta:
        model = Certificate
        fields = ["id", "serial", "kind", "status", "person", "household", "case", "station", "issued_at",
                  "reissue_of", "reissue_reason", "verify_url"]  # fmt: skip

    def get_verify_url(self, certificate) -> str:
        return certificate_verify_url(certificate)


class CertificatePrintSerializer(serializers.Serializer):
    collected_by_name = serializers.CharField(max_length=64)
    collected_by_id_number = serializers.CharField(max_length=18, required=False, allow_blank=True, default="")
    id_checked = serializers.BooleanField()
    fee = serializers.DecimalField(max_digits=8, decimal_places=2, required=False, default=0)
    request_key = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")


class CertificatePrintRecordedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    printed_at = serializers.DateTimeField()


class CertificatePublicSerializer(serializers.Serializer):
    """What the public may learn from a certificate's QR code: status and masked data."""

    status = serializers.ChoiceField(choices=Certificate.Status.choices)
    status_display = serializers.CharField()
    kind = serializers.CharField()
    serial = serializers.CharField()
    issued_on = serializers.DateField()
    station = serializers.CharField()
    name = serializers.CharField(help_text="masked, e.g. 张*明")
    id_number = serializers.CharField(help_text="masked, e.g. 110105********002X")
