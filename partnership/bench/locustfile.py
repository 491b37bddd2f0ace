"""The load `make bench` puts on the site: business-unit staff signing in and reading pages.

Run by `python -m partnership.bench`, which sets these environment variables:

- BENCH_ACCOUNTS: "email=hexkey;email=hexkey;..." business-unit accounts and their
  authenticator secrets. Each simulated user signs in as the next one. A two-factor code is
  good once per device per 30-second step (django-otp refuses a replay), so ten users signing
  in together need ten accounts: the persona first, then copies of it made for the bench.
- BENCH_PASSWORD: their password. BENCH_API_TOKEN: an agency token for the API.
- BENCH_WAIT: the mean pause between one user's requests, in seconds.

This file runs in locust's process, not Django's: it imports nothing from the project but
the list of pages.
"""

import hashlib
import hmac
import itertools
import os
import random
import re
import struct
import sys
import time
from pathlib import Path

import gevent
import gevent.event
from locust import HttpUser, task
from locust.clients import HttpSession
from locust.exception import StopUser

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # for a locust run by hand

from partnership.bench.pages import API, PAGES, SIGN_IN, TWO_FACTOR

ACCOUNTS = [
    tuple(item.split("=", 1)) for item in os.environ.get("BENCH_ACCOUNTS", "").split(";") if item
]
PASSWORD = os.environ.get("BENCH_PASSWORD", "")
API_TOKEN = os.environ.get("BENCH_API_TOKEN", "")
BOOKING_SESSION = os.environ.get("BENCH_BOOKING_SESSION", "")
BOOK = "api: book a training place (POST)"
WAIT = float(os.environ.get("BENCH_WAIT", "0.5"))
STEP = 30  # seconds, django-otp's default

WARM_UP = "(warm-up)"
_accounts = itertools.count()
_signed_in = {"count": 0}
_all_signed_in = gevent.event.Event()
_last_step: dict[str, int] = {}  # per account: the last time step whose code was used
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def totp(hex_key: str, step: int) -> str:
    """RFC 6238 with SHA-1 and 6 digits, as django-otp's TOTPDevice checks it."""
    digest = hmac.new(bytes.fromhex(hex_key), struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def _fresh_code(email: str, hex_key: str) -> str:
    """A code for a time step this account has not used yet, waiting for one if need be."""
    step = max(int(time.time()) // STEP, _last_step.get(email, -1) + 1)
    _last_step[email] = step  # taken before sleeping, so no other user takes it too
    delay = step * STEP - time.time()
    if delay > 0:
        gevent.sleep(delay + 0.2)
    return totp(hex_key, step)


class BusinessUnitUser(HttpUser):
    def wait_time(self):
        return random.uniform(0, 2 * WAIT)

    def on_start(self):
        if not ACCOUNTS:
            raise StopUser()
        number = next(_accounts)
        self.email, self.key = ACCOUNTS[number % len(ACCOUNTS)]
        self.turn = number  # users start at different pages, then take them in turn
        # An agency's system calls the API without anyone's session.
        self.api = HttpSession(self.host, self.environment.events.request, self)
        self.api.headers["Authorization"] = f"Bearer {API_TOKEN}"
        try:
            self.sign_in()
        finally:
            self._arrive()  # signed in or given up: either way, nobody waits for this user
        self.warm_up()

    def on_stop(self):
        self.api.close()

    def _csrf(self, path: str, name: str) -> str:
        response = self.client.get(path, name=name, allow_redirects=False)
        match = _CSRF.search(response.text or "")
        if response.status_code != 200 or not match:
            raise StopUser()
        return match.group(1)

    def _post(self, path: str, name: str, data: dict, expect: str) -> bool:
        """POST a form; True if it redirected to `expect`. One try only: axes counts failures."""
        with self.client.post(
            path, data=data, name=name, allow_redirects=False, catch_response=True
        ) as response:
            location = response.headers.get("Location", "")
            if response.status_code == 302 and location == expect:
                response.success()
                return True
            response.failure(f"{response.status_code} to {location or 'nowhere'}")
            return False

    def sign_in(self):
        """Through the real forms: email and password, then the code from the authenticator."""
        token = self._csrf(SIGN_IN, "sign-in: form")
        data = {"csrfmiddlewaretoken": token, "email": self.email, "password": PASSWORD}
        if not self._post(SIGN_IN, "sign-in: password", data, TWO_FACTOR):
            raise StopUser()
        # Signing in rotates the CSRF token, so the two-factor form carries a new one.
        token = self._csrf(TWO_FACTOR, "sign-in: two-factor form")
        data = {"csrfmiddlewaretoken": token, "token": _fresh_code(self.email, self.key)}
        if not self._post(TWO_FACTOR, "sign-in: two-factor code", data, "/work/"):
            raise StopUser()

    def _arrive(self):
        _signed_in["count"] += 1
        users = getattr(self.environment.parsed_options, "num_users", None) or 1
        if _signed_in["count"] >= users:
            _all_signed_in.set()

    def warm_up(self):
        """Wait until every user has signed in, then read each page once, unmeasured.

        Sign-ins hash a password (Argon2, slow on purpose) and the first request for a page
        in each gunicorn worker compiles its templates: neither is what the pages cost.
        """
        _all_signed_in.wait(timeout=120)
        for path in PAGES:
            client = self.api if path == API else self.client
            client.get(path, name=WARM_UP, allow_redirects=False)

    @task(2)
    def book(self):
        """Booking throughput: an agency's system books a new person onto a session."""
        if not BOOKING_SESSION:
            return
        self.bookings = getattr(self, "bookings", 0) + 1
        person = f"{id(self)}-{self.bookings}"
        with self.api.post(
            f"/api/v1/training/sessions/{BOOKING_SESSION}/bookings",
            json={"full_name": f"Bench Person {person}", "email": f"bench-{person}@example.org"},
            name=BOOK,
            catch_response=True,
        ) as response:
            if response.status_code not in (200, 201):
                response.failure(f"{response.status_code} {response.text[:200]}")

    @task(10)
    def page(self):
        path = PAGES[self.turn % len(PAGES)]
        self.turn += 1
        client = self.api if path == API else self.client
        with client.get(path, name=path, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                location = response.headers.get("Location", "")
                response.failure(f"{response.status_code} {location}".strip())
