from django.urls import path

from publicity import views

app_name = "publicity"

urlpatterns = [
    path("publicity/", views.story_list, name="list"),
    path("publicity/new/", views.story_create, name="create"),
    path("publicity/<int:pk>/", views.story_detail, name="detail"),
    path("publicity/<int:pk>/edit/", views.story_edit, name="edit"),
    path("publicity/<int:pk>/delete/", views.story_delete, name="delete"),
    path("publicity/<int:pk>/submit/", views.story_submit, name="submit"),
    path("publicity/<int:pk>/approve/", views.story_approve, name="approve"),
    path("publicity/<int:pk>/return/", views.story_return, name="return"),
    path("publicity/<int:pk>/unpublish/", views.story_unpublish, name="unpublish"),
    path("publicity/<int:pk>/photos/", views.photo_add, name="photo-add"),
    path("publicity/<int:pk>/photos/<int:photo>/", views.photo_file, name="photo"),
    path("publicity/<int:pk>/photos/<int:photo>/delete/", views.photo_delete, name="photo-delete"),
    # Public, no login: what is published, per organisation.
    path("p/<slug:slug>/stories/", views.public_list, name="public-list"),
    path("p/<slug:slug>/stories/<int:pk>/", views.public_detail, name="public-detail"),
    path("p/<slug:slug>/stories/<int:pk>/photos/<int:photo>/", views.public_photo, name="public-photo"),
]
