from django.contrib.auth.models import AnonymousUser
from django.shortcuts import render
from django.views.decorators.csrf import requires_csrf_token

from partnership.accounts.decorators import public
from partnership.governance.models import Group
from partnership.trail.models import Action
from partnership.web.refusals import refusal_record


@public
def home(request):
    groups = []
    if request.user.has_perm("governance.view_group"):
        groups = list(Group.objects.visible_to(request.user).only("name", "slug", "purpose"))
    return render(request, "website/home.html", {"groups": groups})


@public
def health(request):
    """For load balancers, and the benchmark's floor: one indexed query, a minimal template."""
    database_ok = Group.objects.filter(pk__gte=0).order_by("pk").values_list("pk", flat=True)[:1]
    list(database_ok)
    return render(request, "website/health.txt", {}, content_type="text/plain")


@public
def accessibility(request):
    return render(request, "website/accessibility.html")


@public
def cookies(request):
    return render(request, "website/cookies.html")


@public
def privacy(request):
    return render(request, "website/privacy.html")


def _with_user(request):
    # A request refused before the authentication middleware ran (a bogus Host header is
    # refused by the first middleware) has no user yet: the page shows it signed out.
    if not hasattr(request, "user"):
        request.user = AnonymousUser()
    return request


def bad_request(request, exception=None):
    return render(_with_user(request), "errors/400.html", status=400)


def permission_denied(request, exception=None):
    # Every refused page is on the trail (bounded: see partnership.web.refusals).
    _with_user(request)
    path = request.path[:200]
    refusal_record(
        request,
        action=Action.REFUSED,
        summary=f"Was refused access (403): {request.method} {path}",
        what=f"{request.method} {path}",
        visitor_doing="page refused",
        object_type="page",
        object_label=path,
    )
    return render(_with_user(request), "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(_with_user(request), "errors/404.html", status=404)


@requires_csrf_token
def server_error(request):
    # Kept free of database work: the database may be why we are here.
    return render(_with_user(request), "errors/500.html", status=500)


def csrf_failure(request, reason=""):
    return render(_with_user(request), "errors/403_csrf.html", status=403)
