from django.urls import path

from budget import views

app_name = "budget"

urlpatterns = [
    path("", views.index, name="index"),
    path("lines/new/", views.line_create, name="line-create"),
    path("lines/<int:pk>/", views.line_detail, name="line-detail"),
    path("lines/<int:pk>/edit/", views.line_edit, name="line-edit"),
    path("lines/<int:pk>/expenses/new/", views.expense_create, name="expense-create"),
    path("expenses/<int:pk>/edit/", views.expense_edit, name="expense-edit"),
    path("expenses/<int:pk>/delete/", views.expense_delete, name="expense-delete"),
    path("expenses/<int:pk>/receipt/", views.receipt, name="receipt"),
    path("execution.xlsx", views.export, name="export"),
]
