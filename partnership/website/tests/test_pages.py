import os
import subprocess
import sys

import pytest
from django.test import Client, override_settings
from django.urls import include, path

from partnership.demo.personas import DEMO_PASSWORD, PERSONAS_BY_KEY


@pytest.mark.django_db
def test_home_page_names_the_partnership(client):
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Knowsley Safeguarding Children Partnership" in page
    assert "govuk-generic-header" in page
    assert "crown" not in page.lower()


@pytest.mark.django_db
def test_missing_page_is_a_govuk_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.django_db
def test_forbidden_page_is_a_govuk_403(client_as):
    response = client_as("practitioner").get("/audit/")
    assert response.status_code == 403
    assert "You do not have permission to see this page" in response.content.decode()


def _broken_view(request):
    raise RuntimeError("something went wrong")


# This module doubles as a URL configuration with a view that fails, for the 500 page test.
urlpatterns = [path("broken/", _broken_view), path("", include("partnership.urls"))]
handler500 = "partnership.website.views.server_error"


@pytest.mark.django_db
@pytest.mark.urls("partnership.website.tests.test_pages")
def test_server_error_page_says_nothing_was_saved(client):
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    assert "Nothing you submitted in the last step has been saved" in response.content.decode()


@pytest.mark.django_db
def test_expired_form_gets_a_clear_403_not_a_crash(personas):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/account/sign-in/",
        {"email": PERSONAS_BY_KEY["practitioner"].email, "password": DEMO_PASSWORD},
    )
    assert response.status_code == 403
    assert "Your form has expired" in response.content.decode()


@pytest.mark.django_db
def test_no_cookies_for_a_visitor_and_only_essential_ones_when_signed_in(personas):
    client = Client()
    response = client.get("/")
    assert not response.cookies
    client.get("/account/sign-in/")
    client.post(
        "/account/sign-in/",
        {"email": PERSONAS_BY_KEY["practitioner"].email, "password": DEMO_PASSWORD},
    )
    client.get("/")
    assert set(client.cookies) <= {"partnership_session", "partnership_csrf"}


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_pages_send_security_headers(client):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def _import_settings(**environment):
    env = {key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "DEBUG"}}
    env.update(environment)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import partnership.settings as s; print(s.SESSION_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.ALLOWED_HOSTS)",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_settings_refuse_to_start_without_a_secret_key_when_debug_is_off():
    result = _import_settings(DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_settings_default_to_safe_values_when_debug_is_off():
    result = _import_settings(
        DEBUG="false",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="",
        SECURE_COOKIES="",
        SECURE_SSL_REDIRECT="",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True True 31536000 []"


def test_a_mistyped_boolean_setting_is_a_clear_error():
    result = _import_settings(DEBUG="maybe")
    assert "DEBUG must be true or false" in result.stderr


def _site_url(**environment):
    env = {key: value for key, value in os.environ.items() if key not in {"SITE_URL", "PORT"}}
    env.update(environment)
    result = subprocess.run(
        [sys.executable, "-c", "import partnership.settings as s; print(s.SITE_URL)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_links_in_emails_use_the_public_address():
    assert _site_url(SITE_URL="https://kscp.example.org/") == "https://kscp.example.org"
    # Unset: the first allowed host in production, the development server under DEBUG.
    production = {"DEBUG": "false", "SECRET_KEY": "x" * 60}
    assert _site_url(**production, ALLOWED_HOSTS=".kscp.example.org,other") == (
        "https://kscp.example.org"
    )
    assert _site_url(DEBUG="true", PORT="8123") == "http://127.0.0.1:8123"


@override_settings(SITE_URL="https://kscp.example.org")
def test_absolute_url_puts_a_path_on_the_public_address():
    from partnership.outputs.links import absolute_url

    assert absolute_url("/reviews/deadlines/") == "https://kscp.example.org/reviews/deadlines/"
    with override_settings(SITE_URL=""):
        assert absolute_url("/reviews/deadlines/") == "/reviews/deadlines/"


def _cache_backend(**environment):
    env = {key: value for key, value in os.environ.items() if key != "CACHE_URL"}
    env.update(environment)
    return subprocess.run(
        [sys.executable, "-c", "import partnership.settings as s; print(s.CACHES['default'])"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_cache_is_shared_by_the_workers_and_can_be_redis():
    assert "FileBasedCache" in _cache_backend().stdout  # the default: shared on one machine
    redis = _cache_backend(CACHE_URL="redis://127.0.0.1:6379/1").stdout
    assert "RedisCache" in redis and "redis://127.0.0.1:6379/1" in redis
    wrong = _cache_backend(CACHE_URL="memcached://x")
    assert wrong.returncode != 0 and "CACHE_URL must be" in wrong.stderr
