"""Booking and queue API under /api/v1/appointments/: one class per operation.

A full slot answers 409 ``{"code": "slot_full", "message": ..., "fields": {}, "next_free": [...]}``;
a slot lock not acquired in time answers 503 with ``Retry-After``. Every call path (this API,
the console, the admin action) goes through ``ticket_call``/``ticket_recall``, which publish
to the display after commit.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from appointments.api import serializers as s
from appointments.errors import Busy, SlotFull
from appointments.models import Booking, Slot, Ticket, Window
from appointments.policy import PARENT_ROLES, WINDOW_ROLES
from appointments.selectors.availability import slots_available, slots_next_free
from appointments.services import booking as booking_services
from appointments.services import queue as queue_services
from appointments.services.lateness import booking_running_late
from common.permissions import HasRole
from common.ratelimit import ScopedRateLimit
from common.validators import validate_record_id

PARENTS = HasRole.of(*PARENT_ROLES)
WINDOW_STAFF = HasRole.of(*WINDOW_ROLES)


class BookingRateLimit(ScopedRateLimit):
    """Booking attempts per account; shared with the booking page (same scope and key)."""

    scope = "booking"

    def key(self, request) -> str:
        return f"user:{request.user.pk}"


def _valid(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


@extend_schema(
    parameters=[OpenApiParameter("station", int, required=True), OpenApiParameter("business_type", int, required=True)]
)
class SlotListApi(APIView):
    """Released, offered slots of a station for a business type (full ones with ``free: 0``)."""

    permission_classes = [PARENTS | WINDOW_STAFF]

    @extend_schema(responses={200: s.SlotSerializer(many=True)})
    def get(self, request):
        try:  # ASCII digits only, within a bigint: "１", "¹" and 10**40 are a 400, not a lookup
            station = validate_record_id(request.query_params["station"])
            business = validate_record_id(request.query_params["business_type"])
        except (KeyError, DjangoValidationError):
            return Response(
                {"code": "invalid", "message": "station, business_type", "fields": {}},
                status=status.HTTP_400_BAD_REQUEST,
            )
        if station is None or business is None:
            return Response(
                {"code": "invalid", "message": "station, business_type", "fields": {}},
                status=status.HTTP_400_BAD_REQUEST,
            )
        slots = slots_available(station_id=station, business_type_id=business)
        return Response(s.SlotSerializer(slots, many=True).data)


class BookingCreateApi(APIView):
    """A parent books a place for themself or their child."""

    permission_classes = [PARENTS]
    throttle_classes = [BookingRateLimit]

    @extend_schema(request=s.BookingCreateSerializer, responses={201: s.BookingSerializer})
    def post(self, request):
        data = _valid(s.BookingCreateSerializer, request)
        try:
            booking = booking_services.booking_create(
                account=request.user,
                slot_id=data["slot"],
                business_type_id=data["business_type"],
                person_id=data.get("person"),
            )
        except SlotFull as exc:
            slot = Slot.objects.filter(pk=data["slot"]).first()
            nxt = slots_next_free(slot=slot, business_type_id=data["business_type"]) if slot else []
            body = {
                "code": "slot_full",
                "message": exc.messages[0],
                "fields": {},
                "next_free": [s.slot_brief(x) for x in nxt],
            }
            return Response(body, status=status.HTTP_409_CONFLICT)
        except Busy as exc:
            body = {"code": "busy", "message": exc.messages[0], "fields": {}}
            return Response(body, status=status.HTTP_503_SERVICE_UNAVAILABLE, headers={"Retry-After": "2"})
        return Response(s.BookingSerializer(booking).data, status=status.HTTP_201_CREATED)


class BookingListApi(APIView):
    permission_classes = [PARENTS]

    @extend_schema(responses={200: s.BookingSerializer(many=True)})
    def get(self, request):
        bookings = Booking.objects.filter(account=request.user).select_related("slot", "station", "business_type")
        return Response(s.BookingSerializer(bookings.order_by("-slot__starts_at")[:50], many=True).data)


class BookingCancelApi(APIView):
    permission_classes = [PARENTS]

    @extend_schema(request=None, responses={200: s.BookingSerializer})
    def post(self, request, code: str):
        booking = get_object_or_404(Booking.objects.filter(account=request.user), code=code)
        booking = booking_services.booking_cancel(actor=request.user, booking_id=booking.pk)
        return Response(s.BookingSerializer(booking).data)


class BookingRunningLateApi(APIView):
    """ "I'm running late" for the caller's own booking, within its check-in window."""

    permission_classes = [PARENTS]

    @extend_schema(request=None, responses={200: s.BookingSerializer})
    def post(self, request, code: str):
        booking = get_object_or_404(Booking.objects.filter(account=request.user), code=code)
        booking = booking_running_late(actor=request.user, booking_id=booking.pk)
        return Response(s.BookingSerializer(booking).data)


class TicketCallApi(APIView):
    """Call a waiting ticket to a window (the display hears it like a console call)."""

    permission_classes = [WINDOW_STAFF]

    @extend_schema(request=s.TicketCallSerializer, responses={200: s.TicketSerializer})
    def post(self, request, pk: int):
        # Another station's ticket is a 404 before the body is looked at.
        ticket = get_object_or_404(Ticket.objects.visible_to(request.user), pk=pk)
        data = _valid(s.TicketCallSerializer, request)
        window = get_object_or_404(Window.objects.visible_to(request.user), pk=data["window"])
        ticket = queue_services.ticket_call(actor=request.user, ticket_id=ticket.pk, window_id=window.pk)
        return Response(s.TicketSerializer(ticket).data)


class TicketRecallApi(APIView):
    permission_classes = [WINDOW_STAFF]

    @extend_schema(request=None, responses={200: s.TicketSerializer})
    def post(self, request, pk: int):
        ticket = get_object_or_404(Ticket.objects.visible_to(request.user), pk=pk)
        ticket = queue_services.ticket_recall(actor=request.user, ticket_id=ticket.pk)
        return Response(s.TicketSerializer(ticket).data)


class WindowCallNextApi(APIView):
    """The window's next ticket by the call rule; 204 when nobody waits."""

    permission_classes = [WINDOW_STAFF]

    @extend_schema(request=None, responses={200: s.TicketSerializer, 204: None})
    def post(self, request, pk: int):
        window = get_object_or_404(Window.objects.visible_to(request.user), pk=pk)
        ticket = queue_services.ticket_call_next(actor=request.user, window_id=window.pk)
        if ticket is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(s.TicketSerializer(ticket).data)


class PingApi(APIView):
    """Authenticated no-op: the benchmark's baseline for the same server and authentication."""

    permission_classes = [PARENTS | WINDOW_STAFF]

    @extend_schema(request=None, responses={200: None})
    def post(self, request):
        return Response({"ok": True})
