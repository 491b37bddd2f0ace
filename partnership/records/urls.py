from django.urls import path

from . import views

app_name = "records"
urlpatterns = [
    path("", views.home, name="home"),
    path("schedule/", views.schedule, name="schedule"),
    path("schedule/<str:key>/", views.schedule_edit, name="schedule-edit"),
    path("holds/", views.holds, name="holds"),
    path("holds/new/", views.hold_create, name="hold-create"),
    path("holds/<int:pk>/release/", views.hold_release, name="hold-release"),
    path("disposal/", views.runs, name="runs"),
    path("disposal/new/", views.run_propose, name="run-propose"),
    path("disposal/<int:pk>/", views.run_detail, name="run"),
    path("disposal/<int:pk>/approve/", views.run_approve, name="run-approve"),
    path("disposal/<int:pk>/destroy/", views.run_destroy, name="run-destroy"),
    path("disposal/<int:pk>/cancel/", views.run_cancel, name="run-cancel"),
    path("disposal/items/<int:pk>/remove/", views.item_remove, name="item-remove"),
    path("subject-access/", views.subject_access, name="subject-access"),
    path("erasure/", views.erasure, name="erasure"),
    path("erasure/<int:pk>/", views.erasure_detail, name="erasure-detail"),
]
