"""The admin's Reports page in headless Chromium: the charts are drawn, from the project's own static files."""

import datetime

from django.contrib.auth import get_user_model

from candidates.services import candidate_create, candidate_update
from tests.factories import CandidateFactory, person


def test_the_reports_page_draws_its_charts_with_the_reports_numbers(live_server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    get_user_model().objects.create_superuser("boss", "b@example.com", "a-long-test-password")
    for number, status in enumerate(["Screened", "Hired", "Rejected"]):
        candidate = candidate_create(data={"first_name": "A", "last_name": str(number), "email": f"{number}@example.com",
                                           "position": "Dev", "source": "Referral"})  # fmt: skip
        candidate_update(instance=candidate, data={"status": status})
    CandidateFactory(applied_date=datetime.datetime(2001, 1, 1, tzinfo=datetime.UTC))  # outside the window

    browser.get(f"{live_server.url}/admin/login/?next=/admin/")
    browser.find_element(By.NAME, "username").send_keys("boss")
    browser.find_element(By.NAME, "password").send_keys("a-long-test-password")
    browser.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    browser.find_element(By.LINK_TEXT, "Pipeline report").click()
    WebDriverWait(browser, 15).until(
        lambda b: b.execute_script("return !!window.Chart && !!Chart.getChart('source-chart')")
    )

    charts = browser.execute_script(
        "return ['funnel-chart', 'stage-chart', 'source-chart'].map(id => Chart.getChart(id).data.datasets.map(d => d.data))"
    )
    funnel, stages, sources = charts
    assert funnel == [[3, 2, 1, 1, 1, 1, 1, 1]]  # New, Screened, Phone, Rejected, Technical, Final, Offer, Hired
    # Days in stage: medians, then 90th percentiles, per stage but Hired. Only New was left (three
    # times, within this test: 0.0 days); the other stages have no figure.
    assert [[day is None for day in series] for series in stages] == [[False, True, True, True, True, True, True]] * 2
    assert stages[0][0] == 0.0
    assert sources == [[0, 0, 3, 0], [0, 0, 1, 0]]  # applicants and hires per source; all from Referral
    for canvas in ["funnel-chart", "stage-chart", "source-chart"]:
        painted = browser.execute_script(
            "const c = document.getElementById(arguments[0]); const d = c.getContext('2d')"
            ".getImageData(0, 0, c.width, c.height).data; let n = 0;"
            "for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return [c.width, c.height, n];",
            canvas,
        )
        assert min(painted[:2]) > 100, painted
        assert painted[2] > 1000, (canvas, painted)  # bars, axes and labels drawn
    scripts = [element.get_attribute("src") for element in browser.find_elements(By.TAG_NAME, "script")]
    assert any(src.startswith(f"{live_server.url}/static/reports/vendor/chart-") for src in scripts if src)
    assert all(src.startswith(live_server.url) for src in scripts if src)  # nothing from elsewhere
    csv_link = browser.find_element(By.ID, "report-csv").get_attribute("href")
    assert "format=csv" in csv_link


def test_the_reports_page_is_for_those_who_may_view_candidates(client, db):
    nobody = person("nobody", role_name=None, is_staff=True)
    client.force_login(nobody)
    assert client.get("/admin/reports/").status_code == 403
    assert "Pipeline report" not in client.get("/admin/").content.decode()
    viewer = person("viewer", role_name="Viewer", is_staff=True)
    client.force_login(viewer)
    assert client.get("/admin/reports/").status_code == 200
