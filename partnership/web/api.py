"""The JSON API, version 1: token-authenticated per agency, described by OpenAPI.

Each agency's systems call it with `Authorization: Bearer <token>`; the token is issued on
the directory's API tokens page. Errors are JSON with a `detail` member and a 4xx status.
"""

from datetime import timedelta

from django.http import Http404, JsonResponse
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import HttpBearer

from partnership.accounts.decorators import public
from partnership.directory.models import AgencyToken


class AgencyTokenAuth(HttpBearer):
    openapi_description = "A token issued to an agency on the directory's API tokens page."

    def authenticate(self, request, token):
        agency_token = AgencyToken.find(token)
        if agency_token is None:
            return None
        now = timezone.now()
        # Recording use once a minute is enough, and keeps reads from writing every time.
        if agency_token.last_used_at is None or now - agency_token.last_used_at > timedelta(
            minutes=1
        ):
            AgencyToken.objects.filter(pk=agency_token.pk).update(last_used_at=now)
        request.agency = agency_token.organisation
        request.agency_token = agency_token
        return agency_token


api = NinjaAPI(
    title="Safeguarding partnership API",
    version="1",
    description=__doc__,
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url=None,
    auth=AgencyTokenAuth(),
)


@api.exception_handler(AuthenticationError)
def unauthorised(request, exc):
    return api.create_response(
        request, {"detail": "Send a valid agency token: Authorization: Bearer <token>"}, status=401
    )


@api.exception_handler(ValidationError)
def invalid(request, exc):
    return api.create_response(
        request, {"detail": "The request is not valid", "errors": exc.errors}, status=422
    )


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Not found"}, status=404)


@public
def api_not_found(request):
    return JsonResponse({"detail": "Not found"}, status=404)


def _routers():
    from partnership.directory.api import router as directory_router
    from partnership.governance.api import router as governance_router
    from partnership.performance.api import router as performance_router
    from partnership.training.api import router as training_router

    api.add_router("/organisations", directory_router)
    api.add_router("/groups", governance_router)
    api.add_router("/training", training_router)
    api.add_router("/performance", performance_router)


_routers()
