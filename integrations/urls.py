from django.urls import path

from integrations import views

app_name = "integrations"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("tokens/new/", views.token_create, name="token-create"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
    path("webhooks/new/", views.endpoint_create, name="endpoint-create"),
    path("webhooks/<int:pk>/delete/", views.endpoint_delete, name="endpoint-delete"),
]
