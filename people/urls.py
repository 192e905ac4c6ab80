from django.urls import path, re_path

from people import views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="list"),
    path("export/", views.person_export, name="export"),
    path("export/<uuid:pk>/", views.export_download, name="export-download"),
    path("new/", views.person_create, name="create"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/reveal/", views.person_reveal, name="reveal"),
    path("<int:pk>/edit/", views.person_edit, name="edit"),
    path("<int:pk>/delete/", views.person_delete, name="delete"),
    # kind: party, post, award, study or consent (people.forms.RECORD_FORMS)
    re_path(r"^(?P<pk>\d+)/(?P<kind>party|post|award|study|consent)/add/$", views.record_add, name="record-add"),
    re_path(
        r"^(?P<pk>\d+)/(?P<kind>party|post|award|study|consent)/(?P<record_pk>\d+)/remove/$",
        views.record_remove,
        name="record-remove",
    ),
    path("<int:pk>/contacts/new/", views.contact_create, name="contact-create"),
    path("returned/", views.returned_list, name="returned"),
    path("returned/export/", views.returned_export, name="returned-export"),
    path("figures/", views.figures, name="figures"),
    path("import/", views.import_upload, name="import"),
    path("import/confirm/", views.import_confirm, name="import-confirm"),
    path("import/template/", views.import_template, name="import-template"),
    path("groups/", views.group_list, name="groups"),
    path("groups/save-filter/", views.group_save_filter, name="group-save-filter"),
    path("groups/add/", views.group_add, name="group-add"),
    path("groups/<int:pk>/", views.group_detail, name="group-detail"),
    path("groups/<int:pk>/delete/", views.group_delete, name="group-delete"),
    path("groups/<int:pk>/remove/<int:person_pk>/", views.group_remove, name="group-remove"),
    path("contacts/", views.contact_list, name="contacts"),
    path("contacts/<int:pk>/outcome/", views.contact_outcome, name="contact-outcome"),
    path("changes/", views.change_list, name="changes"),
    path("changes/<int:pk>/review/", views.change_review, name="change-review"),
    path("me/", views.my_profile, name="me"),
    path("me/edit/", views.my_profile_edit, name="me-edit"),
]
