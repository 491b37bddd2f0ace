"""Test-run environment (loaded as a pytest plugin, before Django): production-like settings (DEBUG off) that work on a test host.

Values already in the environment win, so CI can point DATABASE_URL at PostgreSQL.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdef")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECURE_COOKIES", "false")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
os.environ.setdefault("CACHE_URL", "locmem://")
os.environ.setdefault("TEMPLATES_STRICT", "true")
os.environ.setdefault("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
# Transactional tests empty the database between tests, past the audit trail's triggers.
os.environ.setdefault("AUDIT_TRAIL_ALLOW_FLUSH", "true")


# --clock-ahead-days N: the whole session runs with the clock N days in the future (ticking), so a
# test that only passes near the day it was written fails here. CI runs the suite once this way.
# Tests that travel with time-machine themselves still land where they ask to.


def pytest_addoption(parser):
    parser.addoption(
        "--clock-ahead-days",
        type=int,
        default=int(os.environ.get("CLOCK_AHEAD_DAYS", "0")),
        help="run the whole session with the clock this many days ahead (default 0)",
    )


def pytest_configure(config):
    # Hypothesis times each example and fails one slower than 200 ms: on a loaded two-core CI
    # machine that is noise, not a finding. Properties are checked; speed is `make bench`'s.
    from hypothesis import settings as hypothesis_settings

    hypothesis_settings.register_profile("partnership", deadline=None)
    hypothesis_settings.load_profile("partnership")
    days = config.getoption("--clock-ahead-days")
    if days:
        import datetime as dt

        import time_machine

        start = dt.datetime.now(dt.UTC) + dt.timedelta(days=days)
        traveller = time_machine.travel(start, tick=True)
        traveller.start()
        config._clock_traveller = traveller


def pytest_report_header(config):
    days = config.getoption("--clock-ahead-days")
    if days:
        import datetime as dt

        return f"clock moved {days} days ahead: today is {dt.date.today().isoformat()}"
    return None


def pytest_unconfigure(config):
    traveller = getattr(config, "_clock_traveller", None)
    if traveller is not None:
        traveller.stop()
