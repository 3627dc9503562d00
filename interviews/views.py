"""The contract's `/api/interviews` endpoints, free time, and interviews as calendars (.ics)."""

import hashlib
from urllib.parse import urlencode

from django.http import HttpResponse, HttpResponseNotModified
from django.urls import reverse
from django.utils.http import parse_etags
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from interviews.availability import free_windows
from interviews.calendars import calendar_of, feed_interviews, feed_owner, feed_token
from interviews.filtersets import InterviewFilterSet
from interviews.models import Interview
from interviews.serializers import (
    AvailabilityQuerySerializer,
    CalendarFeedQuerySerializer,
    CalendarFeedSerializer,
    InterviewSerializer,
    TimeWindowSerializer,
)
from interviews.services import calendar_feed_replace, interview_create, interview_delete, interview_update
from recruitos.pagination import TOTAL_COUNT_HEADER
from recruitos.schema import SIGNED_IN, errors
from recruitos.throttling import CalendarRateThrottle, KeyRateThrottle
from recruitos.viewsets import ServiceModelViewSet

CALENDAR = {
    (200, "text/calendar"): OpenApiTypes.STR,
    304: OpenApiResponse(description="Not modified: the calendar is the one whose ETag was sent (If-None-Match)."),
}
#: A 409 has the 400's shape: {"detail": "Interview conflict", "errors": […]}.
WRITE_ERRORS = errors(400, 409, *SIGNED_IN)


@extend_schema_view(
    create=extend_schema(responses={201: InterviewSerializer, **WRITE_ERRORS}),
    update=extend_schema(responses={200: InterviewSerializer, **WRITE_ERRORS, **errors(404)}),
    partial_update=extend_schema(responses={200: InterviewSerializer, **WRITE_ERRORS, **errors(404)}),
)
class InterviewViewSet(ServiceModelViewSet):
    """Interviews in `scheduledDate` order (then id), filtered by candidate, day, status, interviewer."""

    queryset = Interview.objects.order_by("scheduled_date", "id")
    serializer_class = InterviewSerializer
    filterset_class = InterviewFilterSet
    create_service = staticmethod(interview_create)
    update_service = staticmethod(interview_update)
    delete_service = staticmethod(interview_delete)

    @extend_schema(
        parameters=[AvailabilityQuerySerializer],
        responses={200: TimeWindowSerializer(many=True), **errors(400, *SIGNED_IN)},
    )
    @action(detail=False, filter_backends=[], pagination_class=None)
    def availability(self, request):
        """An interviewer's free windows of at least `duration` minutes on a day, within WORKING_HOURS, from now on."""
        query = AvailabilityQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        windows = free_windows(
            interviewer=query.validated_data["interviewer"],
            day=query.validated_data["date"],
            minutes=query.validated_data["duration"],
        )
        data = TimeWindowSerializer([{"start": start, "end": end} for start, end in windows], many=True).data
        return Response(data, headers={TOTAL_COUNT_HEADER: str(len(data))})


class InterviewCalendarView(ListAPIView):
    """`GET /api/interviews.ics`: the interviews the list's filters select, as one calendar (the latest 10,000)."""

    queryset = Interview.objects.all()
    filterset_class = InterviewFilterSet
    pagination_class = None
    throttle_classes = [KeyRateThrottle, CalendarRateThrottle]

    @extend_schema(
        operation_id="interviews_calendar", tags=["interviews"], responses={**CALENDAR, **errors(400, *SIGNED_IN)}
    )
    def get(self, request, *args, **kwargs):
        interviews = self.filter_queryset(self.get_queryset())
        return calendar_response(request, calendar_of(interviews, "RecruitOS interviews"), "interviews.ics")


class InterviewEventView(GenericAPIView):
    """`GET /api/interviews/{id}.ics`: one interview as a calendar event."""

    queryset = Interview.objects.all()

    @extend_schema(
        operation_id="interviews_event", tags=["interviews"], responses={**CALENDAR, **errors(404, *SIGNED_IN)}
    )
    def get(self, request, *args, **kwargs):
        interview = self.get_object()
        calendar = calendar_of(Interview.objects.filter(pk=interview.pk), f"Interview {interview.pk}")
        return calendar_response(request, calendar, f"interview-{interview.pk}.ics")


class MayViewInterviews(BasePermission):
    message = "You do not have permission to perform this action."

    def has_permission(self, request, view):
        return request.user.has_perm("interviews.view_interview")


@extend_schema_view(
    get=extend_schema(parameters=[CalendarFeedQuerySerializer],
                      responses={200: CalendarFeedSerializer, **errors(400, *SIGNED_IN)}),
    post=extend_schema(parameters=[CalendarFeedQuerySerializer], request=None,
                       responses={201: CalendarFeedSerializer, **errors(400, *SIGNED_IN)}),
)  # fmt: skip
class CalendarFeedView(GenericAPIView):
    """
    `GET /api/calendar-feed`: the signed-in user's secret calendar address (of one `interviewer`, or
    all); calendar apps fetch it without a header. `POST` replaces it: every earlier address of the
    user's stops working (404).
    """

    permission_classes = [IsAuthenticated, MayViewInterviews]
    serializer_class = CalendarFeedSerializer

    def get(self, request, *args, **kwargs):
        return Response({"url": self._url(request, self._interviewer(request))})

    def post(self, request, *args, **kwargs):
        interviewer = self._interviewer(request)  # a bad query is a 400 before anything changes
        calendar_feed_replace(user=request.user)
        return Response({"url": self._url(request, interviewer)}, status=status.HTTP_201_CREATED)

    @staticmethod
    def _url(request, interviewer: str) -> str:
        query = urlencode({"token": feed_token(request.user, interviewer)})
        return request.build_absolute_uri(f"{reverse('calendar-feed-events')}?{query}")

    @staticmethod
    def _interviewer(request) -> str:
        query = CalendarFeedQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return query.validated_data.get("interviewer", "")


class CalendarFeedEventsView(APIView):
    """
    `GET /api/calendar-feed.ics?token=…`: a subscribed calendar, no header needed; 404 once the
    address is replaced, or its user is deactivated or may no longer see interviews. Cancelled
    interviews stay for 30 days after their last change, so that calendars remove them.
    """

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [CalendarRateThrottle]  # per feed address: it comes with no key

    @extend_schema(
        operation_id="calendar_feed_events",
        tags=["calendar-feed"],
        auth=[],
        parameters=[OpenApiParameter("token", str, required=True, description="The secret from /api/calendar-feed")],
        responses={**CALENDAR, **errors(404, 429)},  # 429: past CALENDAR_RATE for this address
    )
    def get(self, request, *args, **kwargs):
        owner = feed_owner(request.query_params.get("token", ""))
        if owner is None:
            raise NotFound
        _user, interviewer = owner
        name = f"RecruitOS: {interviewer}" if interviewer else "RecruitOS interviews"
        response = calendar_response(request, calendar_of(feed_interviews(interviewer), name), None)
        response["Cache-Control"] = "private, no-store"  # a secret address: no shared cache keeps it
        return response


def calendar_response(request, calendar: bytes, filename: str | None) -> HttpResponse:
    """
    The calendar, with an ETag of its bytes: a client that sends it back (If-None-Match) for an
    unchanged calendar gets a 304 with no body (a calendar app polling its feed, mostly).
    """
    etag = f'"{hashlib.sha256(calendar).hexdigest()[:32]}"'
    sent = parse_etags(request.headers.get("If-None-Match", ""))
    if etag in sent or "*" in sent:
        response = HttpResponseNotModified()
        response["ETag"] = etag
        return response
    response = HttpResponse(calendar, content_type="text/calendar; charset=utf-8")
    response["ETag"] = etag
    if filename:
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
