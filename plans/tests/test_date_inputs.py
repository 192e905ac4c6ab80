"""Date inputs are rendered as ISO (YYYY-MM-DD) in every form, so a browser's date picker shows
the value and saving a form without touching the date keeps it (issue 10, defect 2)."""

import importlib
from datetime import date, datetime

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from plans.models import Item
from plans.tests.formdata import form_data

FORM_MODULES = ["accounts.forms", "people.forms", "plans.forms", "events.forms", "proposals.forms"]


def _date_fields():
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for form_class in vars(module).values():
            if isinstance(form_class, type) and issubclass(form_class, forms.BaseForm):
                for name, field in getattr(form_class, "base_fields", {}).items():
                    if isinstance(field.widget, forms.DateInput | forms.DateTimeInput):
                        yield f"{module_name}.{form_class.__name__}.{name}", field


@pytest.mark.parametrize(("where", "field"), list(_date_fields()), ids=lambda v: v if isinstance(v, str) else "")
def test_every_date_input_renders_iso_in_chinese(where, field):
    with translation.override("zh-hans"):
        if isinstance(field.widget, forms.DateTimeInput):
            html = field.widget.render("x", datetime(2023, 12, 31, 9, 5))
            assert 'value="2023-12-31T09:05"' in html or 'value="2023-12-31 09:05:00"' in html, html
        else:
            assert 'value="2023-12-31"' in field.widget.render("x", date(2023, 12, 31))


def test_the_check_covers_the_forms_the_issue_names():
    found = {where for where, _ in _date_fields()}
    assert {
        "plans.forms.ItemEditForm.due_date",
        "plans.forms.MilestoneForm.due_date",
        "people.forms.ConsentForm.given_at",
        "people.forms.ContactForm.date",
        "accounts.forms.AuditFilterForm.date_from",
        "events.forms.EventForm.starts_at",
        "proposals.forms.AssignForm.due_date",
    } <= found


def test_dates_typed_the_chinese_way_are_still_accepted():
    with translation.override("zh-hans"):
        field = forms.DateField()
        assert field.clean("2023/12/31") == date(2023, 12, 31)
        assert field.clean("2023年9月5日") == date(2023, 9, 5)
        assert field.clean("2023-12-31") == date(2023, 12, 31)


@pytest.mark.django_db
def test_editing_an_item_without_touching_the_date_keeps_it(client, ufd_staff, item):
    Item.objects.filter(pk=item.pk).update(due_date=date(item.plan.year, 6, 30))
    client.force_login(ufd_staff)
    url = reverse("plans:item-edit", args=[item.pk])
    page = client.get(url).content.decode()
    data = form_data(page, action_contains="")
    assert data["due_date"] == [f"{item.plan.year}-06-30"]
    data["title"] = ["只改了标题"]
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()
    item.refresh_from_db()
    assert (item.title, item.due_date) == ("只改了标题", date(item.plan.year, 6, 30))
