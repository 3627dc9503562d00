"""
The RecruitOS frontend, signed in, in headless Chromium: a Recruiter signs in at
/accounts/login/, then a page of the API's own origin makes the frontend's exact `fetch` calls
(no key, no token) and gets the contract's answers. A page on another origin (another port of
the same host, so the session cookie travels with its requests) cannot write: the browser will
not send the frontend's JSON writes there without CORS permission, and the writes it does send
(a form post, a `no-cors` fetch) get 403 and change nothing. A Viewer reads and cannot write;
six wrong passwords lock the sign-in.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from selenium.webdriver.common.by import By

from candidates.models import Candidate
from dashboard.models import Activity
from interviews.models import Interview
from tests.browser.pages import sign_in
from tests.factories import CandidateFactory, person

# The frontend's request function, as it is, and the calls its pages make.
FRONTEND = """
const [base, calls, done] = arguments;
const request = (url, method, data) => fetch(base + url, {  // the frontend's, with the base prepended
  method, headers: data ? { "Content-Type": "application/json" } : {},
  body: data ? JSON.stringify(data) : undefined, credentials: "include" });
(async () => {
  const results = [];
  for (const [method, url, data] of calls) {
    try {
      const fill = (text) => text.replaceAll('"{candidate}"', results.candidate)
        .replaceAll("{candidate}", results.candidate).replaceAll("{interview}", results.interview);
      const response = await request(fill(url), method, data && JSON.parse(fill(JSON.stringify(data))));
      const text = await response.text();
      const body = text ? JSON.parse(text) : null;
      if (method === "POST" && response.status === 201) results[url.includes("interviews") ? "interview" : "candidate"] = body.id;
      results.push({status: response.status, total: response.headers.get("X-Total-Count"), body});
    } catch (error) {
      results.push({error: String(error)});
    }
  }
  done(results);
})();
"""

CALLS = [
    ["GET", "/api/candidates?limit=50&offset=0", None],
    ["POST", "/api/candidates", {"firstName": "John", "lastName": "Doe", "email": "john.doe@email.com",
                                 "position": "Backend Developer", "phase": 1, "status": "New", "source": "Indeed"}],
    ["PUT", "/api/candidates/{candidate}", {"status": "Phone Interview", "notes": "Screened by phone"}],
    ["POST", "/api/interviews", {"candidateId": "{candidate}", "type": "Technical",
                                 "scheduledDate": "2031-03-04T15:00:00Z", "duration": 60, "interviewer": "Jane Doe",
                                 "status": "Scheduled"}],
    ["GET", "/api/interviews?candidateId={candidate}", None],
    ["PUT", "/api/interviews/{interview}", {"status": "Completed", "rating": 4}],
    ["GET", "/api/dashboard/stats", None],
    ["GET", "/api/activity?limit=20", None],
    ["DELETE", "/api/interviews/{interview}", None],
    ["DELETE", "/api/candidates/{candidate}", None],
]  # fmt: skip


class OtherOrigin(BaseHTTPRequestHandler):
    """A page on another port of the same host, with a classic cross-site form post ready."""

    target = ""

    def do_GET(self):
        field = '{"firstName": "Mallory", "lastName": "X", "email": "mallory@example.com", "position": "Dev", "x": "'
        page = (
            f"<!doctype html><title>elsewhere</title><form id=f method=post enctype=text/plain "
            f"action='{self.target}/api/candidates'><input name='{field}' value='\"}}'></form>"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        self.wfile.write(page)

    def log_message(self, *args):
        pass


@pytest.fixture
def other_origin(live_server):
    OtherOrigin.target = live_server.url
    server = ThreadingHTTPServer(("127.0.0.1", 0), OtherOrigin)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host = urlsplit(live_server.url).hostname
    yield f"http://{host}:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def frontend(browser, base: str, calls) -> list[dict]:
    calls = json.loads(json.dumps(calls))
    browser.set_script_timeout(20)
    return browser.execute_async_script(FRONTEND, base, calls)


def with_ids(calls, candidate, interview):
    text = json.dumps(calls).replace('"{candidate}"', str(candidate)).replace("{candidate}", str(candidate))
    return json.loads(text.replace("{interview}", str(interview)))


def test_a_signed_in_recruiter_uses_the_frontend_unchanged(live_server, browser):
    person("rita", "Recruiter")
    sign_in(browser, live_server, "rita")
    assert browser.current_url == f"{live_server.url}/"
    assert "Signed in as rita" in browser.find_element(By.ID, "content-main").text
    cookie = browser.get_cookie("sessionid")
    assert (cookie["httpOnly"], cookie["sameSite"]) == (True, "Lax")

    results = frontend(browser, "", CALLS)

    assert [r.get("status") for r in results] == [200, 201, 200, 201, 200, 200, 200, 200, 204, 204], results
    listed, created, updated, interview, interviews, completed, stats, activity = results[:8]
    assert (listed["body"], listed["total"]) == ([], "0")
    assert created["body"]["email"] == "john.doe@email.com"
    assert (updated["body"]["status"], updated["body"]["notes"]) == ("Phone Interview", "Screened by phone")
    assert interviews["body"] == [interview["body"]]
    assert interviews["total"] == "1"
    assert (completed["body"]["status"], completed["body"]["rating"]) == ("Completed", 4)
    assert stats["body"]["totalCandidates"] == 1
    # Newest first: interview completed, interview scheduled, status moved, applied.
    assert [entry["type"] for entry in activity["body"]] == ["interview", "interview", "candidate", "candidate"]
    assert not Candidate.objects.exists()
    # The feed names who did it.
    assert set(Activity.objects.values_list("actor__username", flat=True)) == {"rita"}


def test_another_origin_cannot_write_with_the_session(live_server, browser, other_origin):
    person("rita", "Recruiter")
    sarah = CandidateFactory(first_name="Sarah", email="sarah@example.com")
    sign_in(browser, live_server, "rita")
    browser.get(f"{other_origin}/")

    # The frontend's own calls, from there: the browser sends none of the writes (no CORS permission).
    results = frontend(browser, live_server.url, with_ids(CALLS, sarah.pk, 1))
    assert all("Failed to fetch" in r.get("error", "") for r in results), results
    # What a page elsewhere can send (a no-cors fetch, a form post) reaches the API and is refused.
    script = """
    const [url, done] = arguments;
    fetch(url, {method: "POST", mode: "no-cors", credentials: "include", headers: {"Content-Type": "text/plain"},
                body: JSON.stringify({firstName: "Mallory", lastName: "X", email: "m@example.com", position: "Dev"})})
      .then((r) => done(r.type), (e) => done(String(e)));
    """
    assert browser.execute_async_script(script, f"{live_server.url}/api/candidates") == "opaque"
    browser.find_element(By.ID, "f").submit()
    refused = json.loads(browser.find_element(By.TAG_NAME, "body").text)
    assert refused["detail"].startswith("Cross-origin request refused")

    sarah.refresh_from_db()
    assert sarah.first_name == "Sarah"
    assert list(Candidate.objects.values_list("email", flat=True)) == ["sarah@example.com"]
    assert not Interview.objects.exists()


def test_a_viewers_session_reads_but_cannot_write(live_server, browser):
    person("victor", "Viewer")
    CandidateFactory()
    sign_in(browser, live_server, "victor")
    results = frontend(browser, "", [*CALLS[:2], ["GET", "/api/me", None]])
    assert results[0]["status"] == 200
    assert results[0]["total"] == "1"
    assert results[1] == {"status": 403, "total": None,
                          "body": {"detail": "You do not have permission to perform this action."}}  # fmt: skip
    assert results[2]["body"]["roles"] == ["Viewer"]
    assert Candidate.objects.count() == 1


def test_six_wrong_passwords_lock_the_sign_in(live_server, browser):
    person("rita", "Recruiter")
    for n in range(6):
        sign_in(browser, live_server, "rita", f"wrong {n}")
    sign_in(browser, live_server, "rita")
    text = browser.find_element(By.ID, "content-main").text
    assert "Too many failed sign-ins for this username from your address" in text
    assert browser.get_cookie("sessionid") is None
