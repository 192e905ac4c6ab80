from django.urls import path

from fiveones import views

app_name = "fiveones"

urlpatterns = [
    path("", views.card, name="card"),
    path("report/<str:slot>/", views.report, name="report"),
    path("entries/<int:pk>/delete/", views.entry_delete, name="entry-delete"),
    path("entries/<int:pk>/proof/", views.proof, name="proof"),
    path("staff/", views.overview, name="overview"),
    path("staff/ledger/", views.ledger, name="ledger"),
    path("staff/queue/", views.queue, name="queue"),
    path("staff/entries/<int:pk>/verify/", views.verify, name="verify"),
    path("staff/entries/<int:pk>/reject/", views.reject, name="reject"),
    path("staff/export.xlsx", views.export, name="export"),
    path("staff/targets/link/", views.target_link, name="target-link"),
    path("staff/targets/<int:pk>/unlink/", views.target_unlink, name="target-unlink"),
]
