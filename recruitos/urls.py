"""
Root URLs: signing in and out, the admin, and the API under /api with one router.

The contract's URLs have no trailing slash; the router answers both forms directly,
without a redirect. Any other path under /api gets a JSON 404.
"""

from django.contrib import admin
from django.contrib.auth.views import LogoutView
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from accounts.views import HomeView, MeView, SignInView
from candidates.views import CandidateViewSet
from dashboard.views import ActivityViewSet, DashboardStatsView
from history.views import CandidateHistoryView, InterviewHistoryView
from imports.views import ImportViewSet
from interviews.views import (
    CalendarFeedEventsView,
    CalendarFeedView,
    InterviewCalendarView,
    InterviewEventView,
    InterviewViewSet,
)
from recruitos.exceptions import api_not_found
from recruitos.views import HealthView, SchemaView
from reports.admin import pipeline_report_page
from reports.views import PipelineReportView
from webhooks.views import SubscriptionViewSet

# The back office and the sign-in pages share this header and title.
admin.site.site_header = "RecruitOS back office"
admin.site.site_title = "RecruitOS"

router = SimpleRouter()
router.trailing_slash = "/?"
router.register("candidates", CandidateViewSet, basename="candidate")
router.register("interviews", InterviewViewSet, basename="interview")
router.register("activity", ActivityViewSet, basename="activity")
router.register("imports", ImportViewSet, basename="import")
router.register("webhooks", SubscriptionViewSet, basename="webhook")

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("accounts/login/", SignInView.as_view(), name="login"),
    path("accounts/logout/", LogoutView.as_view(), name="logout"),  # POST, with Django's CSRF token
    path("admin/reports/", admin.site.admin_view(pipeline_report_page), name="admin-reports"),
    path("admin/", admin.site.urls),
    re_path(r"^api/me/?$", MeView.as_view(), name="me"),
    re_path(r"^api/health/?$", HealthView.as_view(), name="health"),
    re_path(r"^api/schema/?$", SchemaView.as_view(), name="schema"),
    re_path(r"^api/docs/?$", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    re_path(r"^api/dashboard/stats/?$", DashboardStatsView.as_view(), name="dashboard-stats"),
    # Before the router's, whose /interviews/{id} would take "12.ics" for an id.
    re_path(r"^api/interviews\.ics$", InterviewCalendarView.as_view(), name="interview-calendar"),
    re_path(r"^api/interviews/(?P<pk>[^/]+)\.ics$", InterviewEventView.as_view(), name="interview-event"),
    re_path(r"^api/calendar-feed/?$", CalendarFeedView.as_view(), name="calendar-feed"),
    re_path(r"^api/calendar-feed\.ics$", CalendarFeedEventsView.as_view(), name="calendar-feed-events"),
    re_path(r"^api/reports/pipeline/?$", PipelineReportView.as_view(), name="reports-pipeline"),
    re_path(r"^api/candidates/(?P<pk>[^/]+)/history/?$", CandidateHistoryView.as_view(), name="candidate-history"),
    re_path(r"^api/interviews/(?P<pk>[^/]+)/history/?$", InterviewHistoryView.as_view(), name="interview-history"),
    path("api/", include(router.urls)),
    re_path(r"^api(?:/[\s\S]*)?$", api_not_found),  # any character, an encoded newline too
]

handler400 = "recruitos.exceptions.bad_request"
handler403 = "recruitos.exceptions.permission_denied"
handler404 = "recruitos.exceptions.page_not_found"
handler500 = "recruitos.exceptions.server_error"
