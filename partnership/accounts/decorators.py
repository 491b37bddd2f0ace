"""Every view declares who may reach it: `permission_required` or `public`.

A test walks the URL configuration and fails on any view that declares neither, so that no
page can be added without a decision about access.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def permission_required(perm: str, fn=None):
    """Signed-out visitors go to the sign-in page; signed-in users without `perm` get a 403.

    `fn(request, **kwargs)` may return the object the permission is checked against.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            obj = fn(request, *args, **kwargs) if fn else None
            if not request.user.has_perm(perm, obj):
                raise PermissionDenied
            if fn:
                kwargs["obj"] = obj
            return view(request, *args, **kwargs)

        wrapped.permission = perm
        return wrapped

    return decorator


def public(view):
    """Open to everyone, signed in or not (sign-in pages, the public site)."""
    view.public = True
    return view
