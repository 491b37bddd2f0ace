from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="plans"),
    path("new/", views.plan_create, name="plan-create"),
    path("review/", views.review, name="review"),
    path("plan-on-a-page/", views.on_a_page_current, name="on-a-page-current"),
    path("plan/<slug:slug>/", views.plan_detail, name="plan"),
    path("plan/<slug:slug>/edit/", views.plan_edit, name="plan-edit"),
    path("plan/<slug:slug>/on-a-page/", views.on_a_page, name="on-a-page"),
    path("plan/<slug:slug>/priorities/new/", views.priority_create, name="priority-create"),
    path("plan/<slug:slug>/carry-over/", views.carry_over, name="carry-over"),
    path("priorities/<int:pk>/", views.priority_detail, name="priority"),
    path("priorities/<int:pk>/edit/", views.priority_edit, name="priority-edit"),
    path("priorities/<int:pk>/remove/", views.priority_remove, name="priority-remove"),
    path("priorities/<int:pk>/outcomes/new/", views.outcome_create, name="outcome-create"),
    path("priorities/<int:pk>/actions/new/", views.action_create, name="action-create"),
    path("outcomes/<int:pk>/edit/", views.outcome_edit, name="outcome-edit"),
    path("outcomes/<int:pk>/remove/", views.outcome_remove, name="outcome-remove"),
    path("actions/<int:pk>/", views.action_detail, name="action"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action-edit"),
    path("actions/<int:pk>/remove/", views.action_remove, name="action-remove"),
    path("actions/<int:pk>/update/", views.action_update, name="action-update"),
    path("updates/<int:pk>/evidence/", views.evidence_download, name="evidence"),
    path("meetings/<int:pk>/thematic-report/", views.thematic_report, name="thematic-report"),
    path(
        "meetings/<int:pk>/thematic-report/account/",
        views.thematic_narrative,
        name="thematic-narrative",
    ),
    path(
        "meetings/<int:pk>/thematic-report.pdf",
        views.thematic_report_pdf,
        name="thematic-report-pdf",
    ),
    path(
        "meetings/<int:pk>/thematic-report/attach/",
        views.thematic_report_attach,
        name="thematic-report-attach",
    ),
]
