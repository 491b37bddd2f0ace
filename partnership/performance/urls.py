from django.urls import path

from . import views

app_name = "performance"
urlpatterns = [
    path("", views.index, name="index"),
    path("indicators/", views.indicators, name="indicators"),
    path("indicators/<str:code>/", views.indicator, name="indicator"),
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
    path("dashboards/", views.dashboards, name="dashboards"),
    path("dashboards/<slug:slug>/", views.dashboard, name="dashboard"),
]
