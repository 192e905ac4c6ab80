"""Encryption at rest of contact fields (phone, e-mail) with keys from the environment.

`EncryptedTextField` encrypts on save and decrypts on load (Fernet: AES-128-CBC + HMAC-SHA256), so
code that reads and writes `person.phone` keeps working while the database holds only tokens.
`DigestField(source="phone")` keeps a keyed hash (HMAC-SHA256) of another field for exact lookups
(`Person.objects.filter(phone_digest=field_digest(phone))`); it is filled on save and bulk create,
and by the services that write with `update()`.

Keys: `settings.FIELD_KEYS`, newest first (`TONGXIN_FIELD_KEY=new,old` or `TONGXIN_FIELD_KEY_FILE`,
by default one key generated into `var/field_key`). New values use the first key; any listed key
decrypts. `python manage.py rotate_keys` re-encrypts every value and digest with the first key,
after which the old keys can be dropped. The keys are never stored in the database.
"""

import hashlib
import hmac
import json
import re
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.core import validators
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

TOKEN_PREFIX = "gAAAAA"  # noqa: S105 - every Fernet token starts with version byte 0x80 + timestamp


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise RuntimeError("TONGXIN_FIELD_KEY is not set")
    return MultiFernet([Fernet(key.encode("ascii")) for key in keys])


def _keys() -> tuple[str, ...]:
    return tuple(settings.FIELD_KEYS)


def encrypt(text: str) -> str:
    return _fernet(_keys()).encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    return _fernet(_keys()).decrypt(token.encode("ascii")).decode("utf-8")


def is_token(value: str) -> bool:
    return isinstance(value, str) and value.startswith(TOKEN_PREFIX)


def generate_key() -> str:
    return Fernet.generate_key().decode("ascii")


def _normalise(value: str) -> str:
    """Phones without spaces or dashes, e-mails in lower case: what a lookup should match."""
    value = (value or "").strip()
    if "@" in value:
        return value.lower()
    return re.sub(r"[\s\-()]", "", value)


def field_digest(value: str) -> str:
    """HMAC-SHA256 of the normalised value with a key derived from the current field key; "" for
    an empty value."""
    value = _normalise(value)
    if not value:
        return ""
    key = hashlib.sha256(b"tongxin-field-digest:" + _keys()[0].encode("ascii")).digest()
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text value stored encrypted. Only equality with "" works in queries; search with a
    `DigestField`. `max_length` limits the plain text (validation), not the column."""

    def from_db_value(self, value, expression, connection):
        if not value or not is_token(value):
            return value  # "" or a value written before encryption (the data migration encrypts it)
        try:
            return decrypt(value)
        except InvalidToken as error:
            raise RuntimeError(f"{self.model._meta.label}.{self.name}: 无法解密（字段密钥不符）") from error

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, "") or is_token(value):
            return value
        return encrypt(value)

    def formfield(self, **kwargs):
        from django import forms

        return super().formfield(**{"widget": forms.TextInput, **kwargs})


class EncryptedEmailField(EncryptedTextField):
    default_validators = [validators.validate_email]

    def formfield(self, **kwargs):
        from django import forms

        return super().formfield(**{"form_class": forms.EmailField, **kwargs})


class EncryptedJSONField(models.TextField):
    """A JSON value (dict or list) stored as one encrypted token."""

    def from_db_value(self, value, expression, connection):
        if value is None:
            return value
        if is_token(value):
            value = decrypt(value)
        return json.loads(value) if value else {}

    def to_python(self, value):
        if isinstance(value, str):
            return json.loads(value) if value else {}
        return value

    def get_prep_value(self, value):
        if value is None:
            return value
        if isinstance(value, str) and is_token(value):
            return value
        return encrypt(json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder))

    def value_to_string(self, obj):
        return json.dumps(self.value_from_object(obj), ensure_ascii=False, cls=DjangoJSONEncoder)


class DigestField(models.CharField):
    """The keyed hash of another field of the same model (`source`), for exact lookups."""

    def __init__(self, *args, source: str = "", **kwargs):
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        for key, default in (("max_length", 64), ("blank", True), ("editable", False), ("db_index", True)):
            if kwargs.get(key) == default:
                kwargs.pop(key)
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = field_digest(getattr(model_instance, self.source) or "")
        setattr(model_instance, self.attname, value)
        return value


def encrypted_fields():
    """[(model, [encrypted field names], [digest fields])] over every installed model."""
    found = []
    for model in apps.get_models():
        encrypted = [f.name for f in model._meta.fields if isinstance(f, EncryptedTextField | EncryptedJSONField)]
        digests = [f for f in model._meta.fields if isinstance(f, DigestField)]
        if encrypted or digests:
            found.append((model, encrypted, digests))
    return found
