from django.urls import path

from plans import views

app_name = "plans"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("import/", views.plan_import, name="import"),
    path("import/<int:pk>/", views.plan_import_review, name="import-review"),
    path("import/<int:pk>/discard/", views.plan_import_discard, name="import-discard"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/sections/<int:section_pk>/", views.plan_section, name="section"),
    path("<int:pk>/publish/", views.plan_publish, name="publish"),
    path("<int:pk>/delete/", views.plan_delete, name="delete"),
    path("<int:pk>/export/", views.plan_export, name="export"),
    path("items/<int:pk>/", views.item_detail, name="item-detail"),
    path("items/<int:pk>/edit/", views.item_edit, name="item-edit"),
    path("items/<int:pk>/report/", views.item_report, name="item-report"),
    path("items/<int:pk>/accept/", views.item_accept, name="item-accept"),
    path("items/<int:pk>/return/", views.item_return, name="item-return"),
    path("items/<int:pk>/urge/", views.item_urge, name="item-urge"),
    path("items/<int:pk>/milestones/", views.milestone_add, name="milestone-add"),
    path("items/<int:pk>/milestones/<int:milestone_pk>/done/", views.milestone_done, name="milestone-done"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("my-department/", views.my_department, name="my-department"),
    path("supervision/", views.supervision, name="supervision"),
    path("supervision/urge/", views.urge_many, name="urge-many"),
]
