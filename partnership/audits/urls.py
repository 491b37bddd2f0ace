from django.urls import include, path

app_name = "audits"

# Each part adds its pages here: the self-assessments (section 11, section 175) and the case audits.
urlpatterns: list = [
    path("cases/", include("partnership.audits.cases.urls")),
    path("", include("partnership.audits.selfassessment.urls")),
]
