"""The case audits' pages, inside the `audits` namespace (names start `case_audit`)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.case_audits, name="case_audits"),
    path("new/", views.case_audit_create, name="case_audit_create"),
    path("across-audits/", views.case_audit_summary, name="case_audit_summary"),
    path("<int:pk>/", views.case_audit, name="case_audit"),
    path("<int:pk>/edit/", views.case_audit_edit, name="case_audit_edit"),
    path("<int:pk>/questions/add/", views.case_audit_question_add, name="case_audit_question_add"),
    path("<int:pk>/cases/add/", views.case_audit_case_add, name="case_audit_case_add"),
    path("<int:pk>/distribute/", views.case_audit_distribute, name="case_audit_distribute"),
    path("<int:pk>/chase/", views.case_audit_chase, name="case_audit_chase"),
    path("<int:pk>/discussion/", views.case_audit_discussion, name="case_audit_discussion"),
    path("<int:pk>/cases/<int:case>/", views.case_audit_case, name="case_audit_case"),
    path(
        "<int:pk>/cases/<int:case>/parts/<int:part>/",
        views.case_audit_answer,
        name="case_audit_answer",
    ),
    path("<int:pk>/findings/add/", views.case_audit_finding_add, name="case_audit_finding_add"),
    path(
        "<int:pk>/recommendations/add/",
        views.case_audit_recommendation_add,
        name="case_audit_recommendation_add",
    ),
    path(
        "<int:pk>/recommendations/<int:number>/actions/add/",
        views.case_audit_action_add,
        name="case_audit_action_add",
    ),
    path("<int:pk>/actions/<int:action>/", views.case_audit_action, name="case_audit_action"),
    path("<int:pk>/report/", views.case_audit_report, name="case_audit_report"),
    path("<int:pk>/report.pdf", views.case_audit_report_pdf, name="case_audit_report_pdf"),
    path("<int:pk>/report/send/", views.case_audit_report_send, name="case_audit_report_send"),
]
