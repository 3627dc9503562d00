"""The contract's dashboard endpoints: `/api/dashboard/stats` and `/api/activity`."""

from rest_framework import mixins, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from dashboard.models import Activity
from dashboard.selectors import dashboard_stats
from dashboard.serializers import ActivitySerializer, DashboardStatsSerializer
from recruitos.pagination import UncountedLimitOffsetPagination


class DashboardStatsView(APIView):
    """Pipeline counts, today's interviews and the state of the last data sync; any valid key reads them."""

    permission_classes = [IsAuthenticated]
    serializer_class = DashboardStatsSerializer  # what the schema documents

    def get(self, request):
        return Response(DashboardStatsSerializer(dashboard_stats()).data)


class ActivityViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The activity feed, newest first."""

    queryset = Activity.objects.order_by("-timestamp", "-id")
    serializer_class = ActivitySerializer
    pagination_class = UncountedLimitOffsetPagination
