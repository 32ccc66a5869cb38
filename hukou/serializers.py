from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hukou.models import AccessLog, Guardianship, Household, Person, Station
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
