from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("summary/", views.summary_page, name="summary"),
    path("summary/generate/", views.summary_generate, name="summary-generate"),
    path("summary.docx", views.summary_docx, name="summary-docx"),
]
