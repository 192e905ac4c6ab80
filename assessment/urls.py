from django.urls import path

from assessment import views

app_name = "assessment"

urlpatterns = [
    path("", views.scheme_list, name="scheme-list"),
    path("new/", views.scheme_create, name="scheme-create"),
    path("<int:pk>/", views.scheme_detail, name="scheme-detail"),
    path("<int:pk>/edit/", views.scheme_edit, name="scheme-edit"),
    path("<int:pk>/indicators/", views.indicator_add, name="indicator-add"),
    path("<int:pk>/indicators/<int:indicator_pk>/delete/", views.indicator_delete, name="indicator-delete"),
    path("<int:pk>/open/", views.scheme_open, name="scheme-open"),
    path("<int:pk>/publish/", views.scheme_publish, name="scheme-publish"),
    path("<int:pk>/scores.xlsx", views.export_xlsx, name="export-xlsx"),
    path("<int:pk>/results.docx", views.export_docx, name="export-docx"),
    path("departments/<int:pk>/", views.department, name="department"),
    path("departments/<int:pk>/adjustments/", views.adjustment_add, name="adjustment-add"),
    path("departments/<int:pk>/adjustments/<int:line_pk>/delete/", views.adjustment_delete, name="adjustment-delete"),
    path("departments/<int:pk>/appeal/decide/", views.appeal_decide, name="appeal-decide"),
    path("mine/", views.mine, name="mine"),
    path("mine/<int:pk>/", views.self_assess, name="self"),
    path("mine/<int:pk>/submit/", views.self_submit, name="self-submit"),
    path("mine/<int:pk>/files/", views.file_add, name="file-add"),
    path("mine/<int:pk>/appeal/", views.appeal, name="appeal"),
    path("files/<int:pk>/", views.file_download, name="file"),
    path("letters/<int:plan_pk>/", views.letters, name="letters"),
    path("letters/<int:plan_pk>/generate/", views.letters_generate, name="letters-generate"),
    path("letters/<int:plan_pk>/issue/", views.letters_issue, name="letters-issue"),
    path("letter/<int:pk>.docx", views.letter_docx, name="letter-docx"),
    path("letter/<int:pk>/sign/", views.letter_sign, name="letter-sign"),
    path("letter/<int:pk>/scan/", views.letter_scan, name="letter-scan"),
]
