"""FastWidgetRenderer writes exactly the HTML of Django's widget templates (issue 16)."""

import datetime

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from core.forms_renderer import FastWidgetRenderer
from orgs.models import Department


class EveryWidget(forms.Form):
    text = forms.CharField(max_length=5, required=False, widget=forms.TextInput(attrs={"placeholder": 'a"<b>&'}))
    number = forms.IntegerField(required=False, min_value=0)
    email = forms.EmailField(required=False)
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True), required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)
    url = forms.URLField(required=False, assume_scheme="https")
    upload = forms.FileField(required=False)
    flag = forms.BooleanField(required=False)
    choice = forms.ChoiceField(
        choices=[("", gettext_lazy("全部")), ("a&b", "甲<乙>"), ("2", mark_safe("<b>safe</b>"))], required=False
    )
    year = forms.TypedChoiceField(choices=[("", "全部"), (2025, 2025), (12345, 12345)], coerce=int, required=False)
    grouped = forms.ChoiceField(
        choices=[("", "—"), ("甲组", [("1", "一"), ("2", "二")]), ("乙组", [("3", "三<")])], required=False
    )
    many = forms.MultipleChoiceField(choices=[("1", "一"), ("2", "二"), ("3", "三")], required=False)
    maybe = forms.NullBooleanField(required=False)
    radio = forms.ChoiceField(choices=[("1", "一"), ("2", "二")], widget=forms.RadioSelect, required=False)
    note = forms.CharField(widget=forms.Textarea, required=False)


DATA = [
    None,
    {
        "text": '"><script>',
        "number": "12345",
        "email": "a@b.cn",
        "secret": "x&y",
        "hidden": "<h>",
        "day": "2026-01-02",
        "url": "https://example.cn/?a=1&b=2",
        "flag": "on",
        "choice": "a&b",
        "year": "12345",
        "grouped": "3",
        "many": ["1", "3"],
        "maybe": "true",
        "radio": "2",
        "note": "<p>",
    },
    {"number": "not a number", "choice": "nonsense", "day": "bad"},
]


def _render(form_class, data, renderer, **kwargs):
    form = form_class(data, renderer=renderer, **kwargs)
    return [str(field) for field in form]


def test_the_project_uses_it():
    assert settings.FORM_RENDERER == "core.forms_renderer.FastWidgetRenderer"


@pytest.mark.parametrize("data", DATA)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_same_html_as_django_templates(data, language):
    with override(language):
        expected = _render(EveryWidget, data, DjangoTemplates())
        assert _render(EveryWidget, data, FastWidgetRenderer()) == expected


def test_escapes_values_labels_and_attributes():
    html = "".join(_render(EveryWidget, DATA[1], FastWidgetRenderer()))
    assert '<option value="a&amp;b" selected>甲&lt;乙&gt;</option>' in html
    assert '<option value="2"><b>safe</b></option>' in html
    assert 'value="&quot;&gt;&lt;script&gt;"' in html
    assert 'placeholder="a&quot;&lt;b&gt;&amp;"' in html
    assert '<optgroup label="乙组">' in html


def test_initial_values_and_localised_numbers():
    class Initial(forms.Form):
        when = forms.DateField(initial=datetime.date(2026, 3, 4))
        count = forms.IntegerField(initial=1234567)
        decimal = forms.DecimalField(initial="1234.5")

    with override("en"):
        assert _render(Initial, None, FastWidgetRenderer()) == _render(Initial, None, DjangoTemplates())


@pytest.mark.django_db
def test_model_choices(org, student_department):
    class Pick(forms.Form):
        department = forms.ModelChoiceField(queryset=Department.objects.for_org(org), empty_label="全部部门")

    for data in (None, {"department": str(student_department.pk)}):
        assert _render(Pick, data, FastWidgetRenderer()) == _render(Pick, data, DjangoTemplates())
    assert f'<option value="{student_department.pk}">' in _render(Pick, None, FastWidgetRenderer())[0]


def test_an_option_with_its_own_template_uses_the_templates():
    class Custom(forms.Select):
        option_template_name = "django/forms/widgets/radio_option.html"

    class Form(forms.Form):
        choice = forms.ChoiceField(choices=[("1", "一")], widget=Custom)

    assert _render(Form, None, FastWidgetRenderer()) == _render(Form, None, DjangoTemplates())
    assert "<label><input" in _render(Form, None, FastWidgetRenderer())[0]
