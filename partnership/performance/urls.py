from django.urls import path

from . import views

app_name = "performance"
urlpatterns = [
    path("", views.index, name="index"),
    path("indicators/", views.indicators, name="indicators"),
    path("indicators/add/", views.indicator_add, name="indicator-add"),
    path("indicators/<str:code>/", views.indicator, name="indicator"),
    path("indicators/<str:code>/change/", views.indicator_change, name="indicator-change"),
    path("indicators/<str:code>/definition/", views.indicator_version, name="indicator-version"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/chasers/", views.chaser_add, name="chaser-add"),
    path("settings/chasers/<int:pk>/remove/", views.chaser_remove, name="chaser-remove"),
    path("returns/", views.returns, name="returns"),
    path("returns/<int:pk>/", views.return_detail, name="return"),
    path("returns/<int:pk>/edit/", views.return_edit, name="return-edit"),
    path("returns/<int:pk>/upload/", views.return_upload, name="return-upload"),
    path("returns/<int:pk>/template.xlsx", views.return_template, name="return-template"),
    path("returns/<int:pk>/validate/", views.return_validate, name="return-validate"),
    path("completeness/", views.completeness, name="completeness"),
    path("reports/", views.report_list, name="reports"),
    path("reports/<slug:slug>/", views.report, name="report"),
    path("reports/<slug:slug>/key-points.pdf", views.report_pdf, name="report-pdf"),
    path("reports/<slug:slug>/key-points.xlsx", views.report_xlsx, name="report-xlsx"),
    path("reports/<slug:slug>/comments/", views.report_comment, name="report-comment"),
    path("reports/<slug:slug>/attach/", views.report_attach, name="report-attach"),
    path("dashboards/", views.dashboards, name="dashboards"),
    path("dashboards/<slug:slug>/", views.dashboard, name="dashboard"),
]
