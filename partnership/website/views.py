from django.shortcuts import render
from django.views.decorators.csrf import requires_csrf_token

from partnership.accounts.decorators import public
from partnership.governance.models import Group


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


def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


@requires_csrf_token
def server_error(request):
    # Kept free of database work: the database may be why we are here.
    return render(request, "errors/500.html", status=500)


def csrf_failure(request, reason=""):
    return render(request, "errors/403_csrf.html", status=403)
