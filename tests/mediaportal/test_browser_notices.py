"""A notice a worker sends reaches the owner's open page as a message, on any page."""

import subprocess
import sys

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.mediaportal.test_status_socket import SENDER

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTICE_SENDER = SENDER.replace('"job", {"from_pid": os.getpid()}', '"notice", {"level": "error", "message": sys.argv[2]}')


def test_a_notice_from_a_worker_appears_on_the_open_page(live_portal, page, alice):
    page.goto(f"{live_portal.url}/accounts/login/")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_portal.url}/jobs/")
    expect(page.locator("#live.on")).to_have_count(1)
    message = "“holiday” was stored but not encoded: Your storage is full"
    subprocess.run([sys.executable, "-c", NOTICE_SENDER, str(alice.pk), message], check=True, timeout=60)
    expect(page.get_by_role("alert")).to_have_text(message)
