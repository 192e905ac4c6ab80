from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    # UFD staff
    path("", views.event_list, name="list"),
    path("new/", views.event_create, name="create"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/edit/", views.event_edit, name="edit"),
    path("<int:pk>/delete/", views.event_delete, name="delete"),
    path("<int:pk>/publish/", views.event_publish, name="publish"),
    path("<int:pk>/invite/", views.event_invite, name="invite"),
    path("<int:pk>/cancel/", views.event_cancel, name="cancel"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/externals/<int:external>/remove/", views.external_remove, name="external-remove"),
    path("<int:pk>/registrations/<int:registration>/checkin/", views.checkin_toggle, name="checkin-toggle"),
    path("<int:pk>/report/", views.event_report, name="report"),
    path("<int:pk>/photos/", views.photo_add, name="photo-add"),
    path("<int:pk>/photos/<int:photo>/", views.photo_file, name="photo"),
    path("<int:pk>/photos/<int:photo>/delete/", views.photo_delete, name="photo-delete"),
    path("<int:pk>/feedback/", views.feedback_add, name="feedback-add"),
    path("<int:pk>/feedback/<int:feedback>/delete/", views.feedback_delete, name="feedback-delete"),
    path("<int:pk>/held/", views.event_mark_held, name="mark-held"),
    path("<int:pk>/unheld/", views.event_unmark_held, name="unmark-held"),
    path("<int:pk>/qr.svg", views.checkin_qr, name="qr"),
    path("<int:pk>/poster/", views.checkin_poster, name="poster"),
    path("<int:pk>/signin.xlsx", views.signin_xlsx, name="signin-xlsx"),
    path("<int:pk>/signin.docx", views.signin_docx, name="signin-docx"),
    path("<int:pk>/attendance.xlsx", views.attendance_xlsx, name="attendance-xlsx"),
    # UFD staff and invited members
    path("<int:pk>/event.ics", views.event_ics, name="ics"),
    # Members (phone)
    path("m/", views.member_list, name="m-list"),
    path("m/mine/", views.member_mine, name="m-mine"),
    path("m/feed/reset/", views.member_feed_reset, name="m-feed-reset"),
    path("m/<int:pk>/", views.member_detail, name="m-detail"),
    path("m/<int:pk>/register/", views.member_register, name="m-register"),
    path("m/<int:pk>/cancel/", views.member_cancel, name="m-cancel"),
    path("m/<int:pk>/decline/", views.member_decline, name="m-decline"),
    path("<int:pk>/checkin/<str:token>/", views.member_checkin, name="m-checkin"),
    # Public: secret links
    path("signup/<str:token>/", views.public_signup, name="public-signup"),
    path("feed/<str:token>.ics", views.calendar_feed, name="feed"),
]
