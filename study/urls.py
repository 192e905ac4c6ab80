from django.urls import path

from study import views

app_name = "study"

urlpatterns = [
    path("staff/", views.material_list, name="list"),
    path("staff/new/", views.material_create, name="create"),
    path("staff/<int:pk>/", views.material_detail, name="detail"),
    path("staff/<int:pk>/edit/", views.material_edit, name="edit"),
    path("staff/<int:pk>/publish/", views.material_publish, name="publish"),
    path("staff/<int:pk>/delete/", views.material_delete, name="delete"),
    path("staff/<int:pk>/images/", views.image_add, name="image-add"),
    path("staff/<int:pk>/questions/", views.question_add, name="question-add"),
    path("staff/<int:pk>/questions/<int:question>/delete/", views.question_delete, name="question-delete"),
    path("staff/<int:pk>/remind/", views.material_remind, name="remind"),
    path("staff/members/", views.members, name="members"),
    path("staff/export.xlsx", views.export, name="export"),
    path("files/<int:pk>/", views.material_file, name="file"),
    path("images/<int:pk>/", views.image, name="image"),
    path("", views.member_list, name="m-list"),
    path("points/", views.member_points, name="m-points"),
    path("<int:pk>/", views.member_detail, name="m-detail"),
    path("<int:pk>/beat/", views.member_beat, name="m-beat"),
    path("<int:pk>/quiz/", views.member_quiz, name="m-quiz"),
    path("<int:pk>/reflection/", views.member_reflection, name="m-reflection"),
]
