from django.urls import include, path
from django.views.i18n import set_language

from api.endpoints import api

urlpatterns = [
    path("", include("dashboard.urls")),
    path("accounts/", include("accounts.urls")),
    path("people/", include("people.urls")),
    path("notifications/", include("notifications.urls")),
    path("events/", include("events.urls")),
    path("plans/", include("plans.urls")),
    path("proposals/", include("proposals.urls")),
    path("", include("publicity.urls")),
    path("fiveones/", include("fiveones.urls")),
    path("study/", include("study.urls")),
    path("assessment/", include("assessment.urls")),
    path("budget/", include("budget.urls")),
    path("reports/", include("reports.urls")),
    path("integrations/", include("integrations.urls")),
    path("api/v1/", api.urls),
    path("", include("core.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
]
