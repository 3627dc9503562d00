"""Signing in through the real form, for the browser tests."""

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.factories import PASSWORD


def gone(element):
    """A wait condition: the element's page has been replaced (the node is stale, or no longer found)."""

    def check(_driver):
        try:
            element.is_enabled()
        except WebDriverException:  # StaleElementReferenceException, or "does not belong to the document"
            return True
        return False

    return check


def sign_in(browser, live_server, username: str, password: str = PASSWORD):
    browser.delete_all_cookies()
    browser.get(f"{live_server.url}/accounts/login/?next=/")
    browser.find_element(By.NAME, "username").send_keys(username)
    browser.find_element(By.NAME, "password").send_keys(password)
    button = browser.find_element(By.CSS_SELECTOR, "#login-form [type=submit]")
    button.click()
    WebDriverWait(browser, 10).until(gone(button))  # the answer has replaced the form's page
