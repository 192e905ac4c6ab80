"""For the English-interface tests: every text the test stored in the database (names, titles,
department names, plan text, notification titles…), to pass as `user_data` to
`core.tests.english.chinese_outside`. Fields with choices are left out on purpose: their labels
are interface text and must come out in English."""

from django.apps import apps
from django.db import models


def stored_texts() -> list[str]:
    texts: set[str] = set()
    for model in apps.get_models():
        if model._meta.app_label in {"admin", "auth", "contenttypes", "sessions", "huey"}:
            continue
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and not f.choices
        ]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields):
            texts.update(value for value in row if isinstance(value, str) and value.strip())
    return sorted(texts, key=len, reverse=True)
