"""The read-only back office pages, and static files under WhiteNoise."""

from dashboard.models import Activity, SyncRun


def test_activity_filters_by_type_and_searches(admin_client):
    Activity.objects.create(event="applied", detail="Backend Developer", candidate_name="Sarah Johnson")
    Activity.objects.create(event="scheduled", candidate_name="Michael Chen", interviewer="Jane Doe")
    Activity.objects.create(event="synced", detail="candidates.csv", count=3)

    def shown(**query):
        page = admin_client.get("/admin/dashboard/activity/", query)
        return [entry.action for entry in page.context["cl"].result_list]

    assert shown(type="interview") == ["Interview scheduled with Michael Chen"]
    assert shown(type="sync") == ["3 new candidates synced from candidates.csv"]
    assert shown(q="sarah") == ["applied for Backend Developer"]


def test_sync_runs_filter_by_status(admin_client):
    SyncRun.objects.create(source="a.csv", status="synced")
    SyncRun.objects.create(source="b.csv", status="error", error="disk full")
    page = admin_client.get("/admin/dashboard/syncrun/", {"status__exact": "error"})
    assert [run.source for run in page.context["cl"].result_list] == ["b.csv"]


def test_whitenoise_serves_the_admins_styles(client, db):
    response = client.get("/static/admin/css/base.css")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    assert type(response).__name__ == "WhiteNoiseFileResponse"
