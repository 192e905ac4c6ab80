from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/open/", views.notification_open, name="open"),
    path("read-all/", views.notification_read_all, name="read-all"),
    path("settings/", views.preferences, name="preferences"),
    path("robots/", views.robot_list, name="robots"),
    path("robots/new/", views.robot_form, name="robot-create"),
    path("robots/<int:pk>/", views.robot_form, name="robot-edit"),
    path("robots/<int:pk>/delete/", views.robot_delete, name="robot-delete"),
    path("robots/<int:pk>/test/", views.robot_test, name="robot-test"),
    path("templates/", views.template_list, name="templates"),
    path("templates/<int:pk>/", views.template_edit, name="template-edit"),
    path("deliveries/", views.delivery_list, name="deliveries"),
    path("deliveries/<int:pk>/retry/", views.delivery_retry, name="delivery-retry"),
]
