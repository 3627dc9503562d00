"""
The back office in a real browser: headless Chromium (Debian's chromium and chromium-driver)
driven by Selenium against a live server, as Django's own admin tests do.
"""

from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from candidates.models import Candidate
from interviews.models import Interview
from tests.factories import CandidateFactory, api_key_for


def test_a_recruiter_finds_a_candidate_moves_them_on_and_schedules_an_interview(live_server, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as loaded
    from selenium.webdriver.support.ui import Select, WebDriverWait

    wait = WebDriverWait(browser, 15)

    admin = get_user_model().objects.create_superuser("recruiter", "r@example.com", "a-long-test-password")
    sarah = CandidateFactory(first_name="Sarah", last_name="Johnson", position="Frontend Developer", status="New")
    CandidateFactory(first_name="Emma", last_name="Brown")

    browser.get(f"{live_server.url}/admin/login/?next=/admin/candidates/candidate/")
    browser.find_element(By.NAME, "username").send_keys("recruiter")
    browser.find_element(By.NAME, "password").send_keys("a-long-test-password")
    browser.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    wait.until(loaded.title_contains("Select candidate to change"))

    search = browser.find_element(By.ID, "searchbar")
    search.send_keys("sarah johnson")
    search.submit()
    wait.until(loaded.url_contains("q=sarah"))
    rows = browser.find_elements(By.CSS_SELECTOR, "#result_list tbody tr")
    assert [row.find_element(By.CSS_SELECTOR, "th a").text for row in rows] == ["Sarah Johnson"]
    rows[0].find_element(By.CSS_SELECTOR, "th a").click()
    wait.until(loaded.title_contains("Change candidate"))

    Select(browser.find_element(By.NAME, "status")).select_by_visible_text("Phone Interview")
    browser.find_element(By.CSS_SELECTOR, ".add-row a").click()
    Select(browser.find_element(By.NAME, "interviews-0-type")).select_by_visible_text("Video")
    browser.find_element(By.NAME, "interviews-0-scheduled_date_0").send_keys("2031-03-04")
    browser.find_element(By.NAME, "interviews-0-scheduled_date_1").send_keys("10:00:00")
    browser.find_element(By.NAME, "interviews-0-interviewer").send_keys("Jane Doe")
    browser.find_element(By.NAME, "_save").click()
    wait.until(loaded.text_to_be_present_in_element((By.CSS_SELECTOR, ".messagelist"), "was changed successfully"))

    sarah.refresh_from_db()
    assert sarah.status == "Phone Interview"
    interview = Interview.objects.get()
    assert (interview.candidate_id, interview.type, interview.interviewer) == (sarah.pk, "Video", "Jane Doe")
    assert interview.scheduled_date.isoformat() == "2031-03-04T10:00:00+00:00"

    api = APIClient(HTTP_AUTHORIZATION=f"Bearer {api_key_for(admin)}")
    feed = [(item["type"], item["action"]) for item in api.get("/api/activity").json()]
    assert ("candidate", "moved to Phone Interview") in feed
    assert ("interview", "Interview scheduled with Sarah Johnson") in feed

    browser.get(f"{live_server.url}/admin/dashboard/activity/")
    wait.until(loaded.presence_of_element_located((By.ID, "result_list")))
    listed = browser.find_element(By.ID, "result_list").text
    assert "moved to Phone Interview" in listed
    assert "Interview scheduled with Sarah Johnson" in listed
    assert Candidate.objects.count() == 2
