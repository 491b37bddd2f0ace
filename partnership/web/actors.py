"""Making the Actor at the edge: from the signed-in user, or the API's agency token."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest

from partnership.trail.actors import Actor


def _address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, the one place it is worked out (django-axes' lock-out uses it
    too, through AXES_CLIENT_IP_CALLABLE).

    Behind `PROXY_COUNT` proxies, each proxy adds the address it was reached from to the end
    of X-Forwarded-For, and REMOTE_ADDR is the nearest proxy; so the client is the
    PROXY_COUNT-th entry from the right. Anything to the left of it was written by the client
    and is not trusted. With PROXY_COUNT 0 the header is ignored. A request that did not come
    through all the proxies (too few entries, or an entry that is not an address) is taken at
    REMOTE_ADDR.
    """
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    proxies = settings.PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [
        entry for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if entry.strip()
    ]
    if len(forwarded) < proxies:
        return remote
    return _address(forwarded[-proxies]) or remote


def actor_for(request: HttpRequest, *, visitor_doing: str = "") -> Actor:
    """Who is making this request: the API's agency token, else the signed-in user.

    A request from someone not signed in is a visitor only where the view says what the
    visitor is doing (`visitor_doing`, e.g. "sign-in form"); otherwise it is refused, since a
    view that writes for nobody is a bug.
    """
    address = client_ip(request)
    token = getattr(request, "agency_token", None)
    if token is not None:
        return Actor.for_token(token, client_ip=address)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return Actor.for_user(user, client_ip=address)
    if visitor_doing:
        return Actor.visitor(visitor_doing, client_ip=address)
    raise PermissionError("This request has no signed-in user or agency token to act for.")
