"""
The frontend's Interviews page at a real team's volume, in headless Chromium: a page on the
API's own origin makes the page's one request, `GET /api/interviews` with no parameters, and
splits the answer as the frontend does (today's, the first five after today, the first ten
completed). With more than 50 past interviews, today's and the upcoming ones must be there.
"""

import datetime

from interviews.selectors import today_bounds
from tests.browser.pages import sign_in
from tests.factories import CandidateFactory, InterviewFactory, person

# The frontend's split, as its Interviews page does it on the answer, in the browser's local time,
# signed in as a Recruiter (no key).
SPLIT = """
const [done] = arguments;
fetch("/api/interviews", {credentials: "include"})
  .then((response) => response.json())
  .then((interviews) => {
    const today = new Date().toDateString();
    const endOfToday = new Date(); endOfToday.setHours(23, 59, 59, 999);
    done({
      received: interviews.length,
      today: interviews.filter((i) => new Date(i.scheduledDate).toDateString() === today).map((i) => i.id),
      upcoming: interviews.filter((i) => new Date(i.scheduledDate) > endOfToday).slice(0, 5).map((i) => i.id),
      completed: interviews.filter((i) => i.status === "Completed").slice(0, 10).map((i) => i.id),
    });
  }, (error) => done({error: String(error)}));
"""


def test_the_interviews_page_shows_today_and_what_comes_next(live_server, browser):
    start, _ = today_bounds()  # TIME_ZONE is UTC here, as is the browser's local time
    candidate = CandidateFactory()
    past = [
        InterviewFactory(
            candidate=candidate, scheduled_date=start - datetime.timedelta(hours=8 * n), status="Completed"
        )
        for n in range(1, 61)
    ]
    today = [
        InterviewFactory(candidate=candidate, scheduled_date=start + datetime.timedelta(hours=h)) for h in (9, 13, 16)
    ]
    upcoming = [
        InterviewFactory(candidate=candidate, scheduled_date=start + datetime.timedelta(days=d)) for d in range(1, 8)
    ]
    person("recruiter", "Recruiter")

    sign_in(browser, live_server, "recruiter")  # lands on a page of the API's own origin
    browser.set_script_timeout(15)
    split = browser.execute_async_script(SPLIT)

    assert split.get("error") is None
    assert split["received"] == 50
    assert split["today"] == [interview.id for interview in today]
    assert split["upcoming"] == [interview.id for interview in upcoming[:5]]
    assert split["completed"] == [interview.id for interview in past[:10]]  # the most recent ten
