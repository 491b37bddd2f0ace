"""What the benchmark requests, shared by the runner and the locustfile (no imports here)."""

SIGN_IN = "/account/sign-in/"
TWO_FACTOR = "/account/sign-in/two-factor/"
FLOOR = "/health/"
API = "/api/v1/organisations"

# Every request is named by its path, so locust's stats have one row per page.
PAGES = [
    "/",
    "/work/",
    "/work/actions/",
    "/groups/",
    "/groups/strategic-forum/",
    "/directory/",
    "/directory/?page=3",
    "/directory/knowsley-council/",
    "/audit/",
    "/groups/meetings/",
    "/groups/actions/",
    "/groups/actions/?show=overdue",
    "/reviews/",
    "/reviews/?page=3",
    "/reviews/deadlines/",
    "/reviews/actions/",
    "/reviews/themes/",
    "/learning-from-reviews/",
    "/training/",
    "/training/courses/",
    "/plans/",
    "/plans/plan/scale-plan-10/",  # the current plan at scale 1 (10 plans)
    "/plans/review/",
    "/performance/reports/monthly-2026-03/",  # the key-points report at scale 1 (1M points)
    "/performance/completeness/?frequency=monthly",
    "/audits/cases/",
    "/audits/cases/across-audits/",
    API,
    FLOOR,
]

# The sign-in's four requests, named apart from the pages (each user signs in once).
SIGN_IN_STEPS = [
    "sign-in: form",
    "sign-in: password",
    "sign-in: two-factor form",
    "sign-in: two-factor code",
]
