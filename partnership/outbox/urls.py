from django.urls import path

from . import views

app_name = "outbox"
urlpatterns = [
    path("", views.email_list, name="emails"),
    path("<int:pk>/", views.email_detail, name="email"),
    path("<int:pk>/retry/", views.email_retry, name="retry"),
]
