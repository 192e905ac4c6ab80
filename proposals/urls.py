from django.urls import path

from proposals import views

app_name = "proposals"

urlpatterns = [
    # UFD staff and the leader
    path("", views.inbox, name="inbox"),
    path("export.xlsx", views.export_xlsx, name="export-xlsx"),
    path("on-behalf/", views.on_behalf, name="staff-new"),
    path("supervision/", views.supervision, name="supervision"),
    path("figures/", views.figures, name="figures"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/handling-form.docx", views.export_docx, name="export-docx"),
    path("templates/", views.templates, name="templates"),
    path("templates/new/", views.template_new, name="template-new"),
    path("templates/<int:pk>/", views.template_edit, name="template-edit"),
    path("templates/<int:pk>/delete/", views.template_delete, name="template-delete"),
    # Every workflow step (submit, accept, assign, answer, rate...): the services decide who may
    path("<int:pk>/do/<slug:action>/", views.act, name="act"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    # Department liaisons
    path("assigned/", views.assigned, name="assigned"),
    path("assigned/<int:pk>/", views.handle, name="handle"),
    # Members (phone)
    path("mine/", views.mine, name="mine"),
    path("mine/<int:pk>/", views.my_detail, name="my-detail"),
    path("new/", views.new, name="new"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("published/", views.published, name="published"),
    # Part 2: filings with outside bodies
    path("outside/", views.outside_list, name="outside-list"),
    path("outside/export.xlsx", views.outside_export, name="outside-export"),
    path("outside/<int:pk>/", views.outside_detail, name="outside-detail"),
    path("outside/<int:pk>/verify/", views.outside_verify, name="outside-verify"),
    path("outside/mine/", views.outside_mine, name="outside-mine"),
    path("outside/mine/new/", views.outside_new, name="outside-new"),
    path("outside/mine/<int:pk>/", views.outside_edit, name="outside-edit"),
    path("outside/files/<int:pk>/", views.outside_file, name="outside-file"),
]
