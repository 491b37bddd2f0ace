from django.urls import include, path, re_path

from partnership.web.api import api, api_not_found

urlpatterns = [
    path("", include("partnership.website.urls")),
    path("account/", include("partnership.accounts.urls")),
    path("directory/", include("partnership.directory.urls")),
    path("groups/", include("partnership.governance.urls")),
    path("audit/", include("partnership.trail.urls")),
    path("email/", include("partnership.outbox.urls")),
    path("reviews/", include("partnership.reviews.urls")),
    path("training/", include("partnership.training.urls")),
    path("performance/", include("partnership.performance.urls")),
    path("plans/", include("partnership.plans.urls")),
    path("audits/", include("partnership.audits.urls")),
    path("work/", include("partnership.work.urls")),
    path("records/", include("partnership.records.urls")),
    path("learning-from-reviews/", include("partnership.website.published_urls")),
    path("api/v1/", api.urls),
    # Anything else under the API is a JSON 404, never the site's HTML page.
    re_path(r"^api/", api_not_found),
]

handler400 = "partnership.website.views.bad_request"
handler403 = "partnership.website.views.permission_denied"
handler404 = "partnership.website.views.page_not_found"
handler500 = "partnership.website.views.server_error"
