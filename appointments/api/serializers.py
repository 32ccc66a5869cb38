from django.utils import timezone
from rest_framework import serializers

from appointments.models import Booking, Slot, Ticket

# Ids from a request body: whole numbers a bigint column can hold (a larger one is a 400).
MAX_ID = 2**63 - 1


class SlotSerializer(serializers.ModelSerializer):
    free = serializers.IntegerField(read_only=True)

    class Meta:
        model = Slot
        fields = ["id", "starts_at", "ends_at", "capacity", "booked", "free"]


class BookingCreateSerializer(serializers.Serializer):
    slot = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    business_type = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    # Omitted: for the parent themself; else the child's person id (checked against the registry).
    person = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True)


class BookingSerializer(serializers.ModelSerializer):
    starts_at = serializers.DateTimeField(source="slot.starts_at", read_only=True)
    station = serializers.CharField(source="station.name", read_only=True)
    business_type = serializers.CharField(source="business_type.name", read_only=True)

    class Meta:
        model = Booking
        fields = [
            "code",
            "status",
            "starts_at",
            "station",
            "business_type",
            "applicant_name",
            "flagged_reason",
            "late_notice_at",
        ]


class TicketCallSerializer(serializers.Serializer):
    window = serializers.IntegerField(min_value=1, max_value=MAX_ID)


class TicketSerializer(serializers.ModelSerializer):
    window = serializers.IntegerField(source="window.number", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Ticket
        fields = ["id", "number", "status", "window", "called_at", "call_count"]


def slot_brief(slot: Slot) -> dict:
    return {"id": slot.pk, "starts_at": timezone.localtime(slot.starts_at).isoformat(), "free": slot.free}
