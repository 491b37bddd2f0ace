from django.urls import path

from . import views

# Included in `partnership.audits.urls` (namespace "audits").
urlpatterns = [
    path("", views.home, name="home"),
    path("self-assessments/standards/", views.standards, name="sa-standards"),
    path("self-assessments/standards/import/", views.standards_import, name="sa-standards-import"),
    path(
        "self-assessments/standards/defaults/",
        views.standards_defaults,
        name="sa-standards-defaults",
    ),
    path("self-assessments/standards/<int:pk>/", views.standard_set, name="sa-standard-set"),
    path("self-assessments/settings/", views.timetable_settings, name="sa-settings"),
    path("self-assessments/cycles/new/", views.cycle_add, name="sa-cycle-add"),
    path("self-assessments/cycles/<int:pk>/", views.cycle, name="sa-cycle"),
    path("self-assessments/cycles/<int:pk>/dashboard/", views.dashboard, name="sa-dashboard"),
    path("self-assessments/cycles/<int:pk>/returns.xlsx", views.cycle_xlsx, name="sa-cycle-xlsx"),
    path(
        "self-assessments/cycles/<int:pk>/summary.pdf",
        views.cycle_summary_pdf,
        name="sa-cycle-summary-pdf",
    ),
    path(
        "self-assessments/cycles/<int:pk>/summary/send/",
        views.cycle_summary_send,
        name="sa-cycle-summary-send",
    ),
    path("self-assessments/cycles/<int:pk>/chase/", views.cycle_chase, name="sa-cycle-chase"),
    path(
        "self-assessments/cycles/<int:pk>/challenge-event/",
        views.challenge_event,
        name="sa-challenge-event",
    ),
    path("self-assessments/cycles/<int:pk>/invite/", views.cycle_invite, name="sa-cycle-invite"),
    path("self-assessments/import/", views.return_import, name="sa-return-import"),
    path("self-assessments/returns/<int:pk>/", views.assessment, name="sa-return"),
    path(
        "self-assessments/returns/<int:pk>/return.pdf", views.assessment_pdf, name="sa-return-pdf"
    ),
    path(
        "self-assessments/returns/<int:pk>/return.json",
        views.assessment_export,
        name="sa-return-export",
    ),
    path("self-assessments/returns/<int:pk>/submit/", views.submit, name="sa-return-submit"),
    path("self-assessments/returns/<int:pk>/reopen/", views.reopen, name="sa-return-reopen"),
    path(
        "self-assessments/returns/<int:pk>/answers/<int:answer_pk>/",
        views.answer_edit,
        name="sa-answer",
    ),
    path(
        "self-assessments/returns/<int:pk>/answers/<int:answer_pk>/moderate/",
        views.moderate,
        name="sa-moderate",
    ),
    path(
        "self-assessments/returns/<int:pk>/answers/<int:answer_pk>/challenge/",
        views.challenge,
        name="sa-challenge",
    ),
    path(
        "self-assessments/returns/<int:pk>/evidence/<int:evidence_pk>/",
        views.evidence,
        name="sa-evidence",
    ),
    path(
        "self-assessments/returns/<int:pk>/evidence/<int:evidence_pk>/remove/",
        views.evidence_remove,
        name="sa-evidence-remove",
    ),
    path("self-assessments/actions/<int:pk>/", views.action, name="sa-action"),
]
