from django.urls import path

from . import views

app_name = "governance"
urlpatterns = [
    path("", views.group_list, name="groups"),
    path("<slug:slug>/", views.group_detail, name="group"),
]
