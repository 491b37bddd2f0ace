from django.urls import path

from . import views

app_name = "training"
urlpatterns = [
    # The public portal
    path("", views.portal, name="portal"),
    path("courses/", views.course_list, name="courses"),
    path("courses/<slug:slug>/", views.course_detail, name="course"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/book/", views.book, name="book"),
    path("register/", views.register, name="register"),
    path("register/check-your-email/", views.register_sent, name="register-sent"),
    path("register/confirm/<str:token>/", views.register_confirm, name="register-confirm"),
    path("evaluation/<str:token>/", views.evaluation, name="evaluation"),
    path("impact/<str:token>/", views.impact, name="impact"),
    # People's own bookings
    path("my-bookings/", views.my_bookings, name="my-bookings"),
    path("my-bookings/<int:pk>/", views.booking_detail, name="booking"),
    path("my-bookings/<int:pk>/cancel/", views.booking_cancel, name="booking-cancel"),
    path("my-bookings/<int:pk>/accept/", views.booking_accept, name="booking-accept"),
    path(
        "my-bookings/<int:pk>/calendar.ics",
        views.booking_calendar_download,
        name="booking-calendar",
    ),
    path("my-bookings/<int:pk>/certificate.pdf", views.certificate, name="certificate"),
    # Running training
    path("manage/", views.manage, name="manage"),
    path("manage/courses/", views.manage_courses, name="manage-courses"),
    path("manage/courses/new/", views.course_create, name="course-create"),
    path("manage/courses/<slug:slug>/edit/", views.course_edit, name="course-edit"),
    path("manage/sessions/new/", views.session_create, name="session-create"),
    path("manage/sessions/<int:pk>/", views.manage_session, name="manage-session"),
    path("manage/sessions/<int:pk>/edit/", views.session_edit, name="session-edit"),
    path("manage/sessions/<int:pk>/cancel/", views.session_cancel, name="session-cancel"),
    path("manage/sessions/<int:pk>/register/", views.attendance, name="attendance"),
    path("manage/sessions/<int:pk>/bookings.csv", views.session_export, name="session-export"),
    path("manage/bookings/<int:pk>/cancel/", views.booking_cancel_for, name="booking-cancel-for"),
    path("manage/trainers/", views.trainers, name="trainers"),
    path("manage/trainers/new/", views.trainer_create, name="trainer-create"),
    path("manage/trainers/<int:pk>/edit/", views.trainer_edit, name="trainer-edit"),
    path("manage/rules/", views.rules_edit, name="rules"),
    # Needs analysis and the plan
    path("needs/", views.surveys, name="surveys"),
    path("needs/new/", views.survey_create, name="survey-create"),
    path("needs/<int:year>/", views.survey_detail, name="survey"),
    path("needs/<int:year>/edit/", views.survey_edit, name="survey-edit"),
    path("needs/<int:year>/respond/", views.needs_respond, name="needs-respond"),
    path(
        "needs/<int:year>/lines/<int:pk>/remove/",
        views.needs_line_remove,
        name="needs-line-remove",
    ),
    path("plans/", views.plans, name="plans"),
    path("plans/new/", views.plan_create, name="plan-create"),
    path("plans/<int:year>/", views.plan_detail, name="plan"),
    path("plans/<int:year>/edit/", views.plan_edit, name="plan-edit"),
    path("plans/<int:year>/from-needs/", views.plan_from_needs, name="plan-from-needs"),
    path("plans/<int:year>/entries/new/", views.plan_entry_create, name="plan-entry-create"),
    path("plans/<int:year>/entries/<int:pk>/edit/", views.plan_entry_edit, name="plan-entry-edit"),
    # Reports
    path("reports/", views.report, name="reports"),
    path("reports/training.csv", views.report_csv, name="report-csv"),
    path("reports/training.xlsx", views.report_xlsx, name="report-xlsx"),
]
