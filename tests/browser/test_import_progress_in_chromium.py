"""The admin's import of a large file in headless Chromium: queued to a real worker, its bar moves, then it says what it did."""

import time

from django.contrib.auth import get_user_model

from candidates.models import Candidate

ROWS = 40_000


def test_a_large_import_shows_its_progress_and_result(live_server, browser, workers, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as loaded
    from selenium.webdriver.support.ui import WebDriverWait

    path = tmp_path / "many.csv"
    with path.open("w") as file:
        file.write("firstName,lastName,email,position\n")
        file.writelines(f"Person,Number {n},person{n}@example.com,Engineer\n" for n in range(ROWS))
    get_user_model().objects.create_superuser("boss", "b@example.com", "a-long-test-password")
    workers()

    browser.get(f"{live_server.url}/admin/login/?next=/admin/imports/importjob/add/")
    browser.find_element(By.NAME, "username").send_keys("boss")
    browser.find_element(By.NAME, "password").send_keys("a-long-test-password")
    browser.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    WebDriverWait(browser, 15).until(loaded.title_contains("Import candidates"))
    browser.find_element(By.NAME, "file").send_keys(str(path))
    browser.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    WebDriverWait(browser, 30).until(loaded.title_contains("Import of many.csv"))

    seen = []  # the bar's values, as the page shows them while the worker runs the import
    deadline = time.monotonic() + 240
    while browser.find_element(By.ID, "import-status").text not in ("Succeeded", "Failed"):
        assert time.monotonic() < deadline, seen[-5:]
        seen.append(browser.execute_script("return document.getElementById('import-progress').value"))
        time.sleep(0.1)
    assert browser.find_element(By.ID, "import-status").text == "Succeeded"
    assert browser.execute_script("return document.getElementById('import-progress').value") == 1
    moving = sorted({value for value in seen if 0 < value < 1})
    assert len(moving) >= 2, seen  # the bar moved, step by step, before it was full
    assert seen == sorted(seen)  # and never back
    counts = {name: browser.find_element(By.ID, f"import-{name}").text for name in ("processed", "created", "failed")}
    assert counts == {"processed": str(ROWS), "created": str(ROWS), "failed": "0"}
    assert browser.find_element(By.ID, "import-percent").text == "100%"
    assert Candidate.objects.count() == ROWS
