"""Making the Actor at the edge: from the signed-in user, or the API's agency token."""

from django.http import HttpRequest

from partnership.trail.actors import Actor


def client_ip(request: HttpRequest) -> str | None:
    """The client's address; django-axes has already worked it out behind any proxies."""
    return getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR") or None


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
