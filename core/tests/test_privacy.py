import re

from django.apps import apps

FORBIDDEN = re.compile(r"religio|ethnic|nation(ality)?_group|id_?card|身份证|宗教|民族", re.IGNORECASE)


def test_no_model_stores_religion_ethnicity_or_id_card():
    offenders = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if FORBIDDEN.search(field.name) or FORBIDDEN.search(str(getattr(field, "verbose_name", "")))
    ]
    assert offenders == []
