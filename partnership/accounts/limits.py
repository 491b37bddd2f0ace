"""Rate limits on password-reset requests, counted in the cache (partnership.web.throttle).

At most RESET_PER_ADDRESS_PER_HOUR requests for one email address, and
RESET_PER_CLIENT_PER_HOUR from one client address, in each clock hour. An address is counted
whether or not it has an account, and the refusal page is the same for both, so the limit
tells nobody who has one.
"""

from functools import wraps

from django.conf import settings
from django.shortcuts import render

from partnership.web.actors import client_ip
from partnership.web.throttle import window_count

HOUR = 3600


def reset_rate_limited(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "POST":
            email = str(request.POST.get("email", "")).strip().lower()[:254]
            per_client = window_count("reset-client", client_ip(request), seconds=HOUR)
            per_address = window_count("reset-address", email, seconds=HOUR) if email else 0
            if (
                per_client > settings.PASSWORD_RESET_PER_CLIENT_PER_HOUR
                or per_address > settings.PASSWORD_RESET_PER_ADDRESS_PER_HOUR
            ):
                return render(request, "accounts/password_reset_limited.html", status=429)
        return view(request, *args, **kwargs)

    return wrapped
