"""Response headers every page gets: Permissions-Policy, and Cache-Control for private ones.

The Content-Security-Policy is django-csp's (settings CONTENT_SECURITY_POLICY); this adds
what Django and django-csp do not:

- `Permissions-Policy`: the browser features the site never uses are switched off.
- `Cache-Control: no-store` on every response to a signed-in user or an agency's API token,
  and on every file download (a response with Content-Disposition: agenda packs, reports,
  letters), and on any response its view marked `private` (calendar feeds by private link), so that no browser or proxy keeps a copy of a
  confidential page. Public pages to signed-out visitors keep their caching.
"""

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)


def is_private(request, response) -> bool:
    user = getattr(request, "user", None)
    return bool(
        (user is not None and user.is_authenticated)
        or getattr(request, "agency_token", None) is not None
        or response.has_header("Content-Disposition")
        or "private" in response.get("Cache-Control", "")
    )


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if is_private(request, response) and "no-store" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = "no-store"
        return response
