from django.urls import path

from . import views

app_name = "work"
urlpatterns = [
    path("", views.home, name="home"),
    path("actions/", views.actions, name="actions"),
    path("email/", views.email_preference, name="email"),
    path("menu/", views.menu, name="menu"),
]
