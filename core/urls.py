from django.urls import path

from core import views

app_name = "core"

urlpatterns = [
    path("jobs/<uuid:pk>/", views.job_status, name="job-status"),
]
