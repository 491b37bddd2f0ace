import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.shortcuts import redirect
from django.urls import resolve
from django.urls.exceptions import Resolver404

# When sign-in completed (seconds since the epoch), for the absolute session lifetime.
SESSION_STARTED_KEY = "_signed_in_at"

# Pages a signed-in member of staff may reach before their second factor is checked.
OPEN_BEFORE_TWO_FACTOR = {
    "accounts:two-factor",
    "accounts:two-factor-setup",
    "accounts:sign-out",
    "accounts:invitation",
    "accounts:invitation-accept",
    "website:accessibility",
    "website:cookies",
    "website:privacy",
    "website:health",
}


class TwoFactorRequiredMiddleware:
    """Staff accounts must pass their second factor before they see anything else.

    Signing in with a password starts the session; until the code is checked, every page but
    the two-factor pages sends a member of staff there. Practitioners, who reach no
    confidential records, may use a password alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and user.needs_two_factor
            and not user.is_verified()
            and not request.path.startswith("/static/")
            and not request.path.startswith("/api/")
        ):
            try:
                name = resolve(request.path_info).view_name
            except Resolver404:
                name = None
            if name not in OPEN_BEFORE_TWO_FACTOR:
                from django_otp import user_has_device

                target = (
                    "accounts:two-factor" if user_has_device(user) else "accounts:two-factor-setup"
                )
                return redirect(target)
        return self.get_response(request)


class SessionIdleMiddleware:
    """Ends a signed-in session SESSION_ABSOLUTE_HOURS after sign-in, however busy; and moves
    its idle expiry on at most once a minute, not on every request.

    Saving the session on each request (SESSION_SAVE_EVERY_REQUEST) costs a database write per
    page, which on SQLite queues every worker behind one lock. Instead a signed-in session is
    touched when a minute has passed since it was last saved, so it ends between
    SESSION_COOKIE_AGE minus one minute and SESSION_COOKIE_AGE after the last request.

    The absolute lifetime counts from SESSION_STARTED_KEY, which the sign-in view sets when
    sign-in completes; a signed-in session without it (signed in some other way) starts its
    count when it is first touched. Past the lifetime the session is emptied before the request is
    handled, so the request is a signed-out one and a private page sends the person to sign in.
    """

    KEY = "_touched"
    EVERY_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        now = int(time.time())
        if session is not None and session.get(SESSION_KEY):
            started = session.get(SESSION_STARTED_KEY)
            if started is not None and now - started >= settings.SESSION_ABSOLUTE_HOURS * 3600:
                session.flush()
        response = self.get_response(request)
        if session is None or session.is_empty() or session.modified:
            return response
        if now - session.get(self.KEY, 0) >= self.EVERY_SECONDS:
            session[self.KEY] = now
            # In the same write: the start of a session signed in without the sign-in view.
            if session.get(SESSION_KEY) and SESSION_STARTED_KEY not in session:
                session[SESSION_STARTED_KEY] = now
        return response
