"""
One person's address is one address, however it is written.

Before an email is validated, stored or compared it is normalised the same way everywhere (the
API, the admin, the import): Unicode compatibility forms are folded (NFKC: `cafe` written in
full-width letters, U+FF43 U+FF41 U+FF46 U+FF45, is `cafe`), the domain is written in
lowercase ASCII (IDNA: `bücher.de` is `xn--bcher-kva.de`, as mail servers see it), and the
part before the `@` must then be plain ASCII. The email validator accepts only that anyway,
but for U+0130 and U+0131 (dotted capital and dotless i), which Python's regular expressions
match to `i` while Python and PostgreSQL lower-case them differently. With both parts ASCII,
the database's `lower(email)` uniqueness agrees with Python's comparison.
"""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from rest_framework import serializers

NOT_ASCII = "Write the part before the @ in plain letters, digits and punctuation (a-z, 0-9, . _ + -)."


def normalize_email(value: str) -> str:
    """The address in its one written form; ValidationError when the part before the @ is not ASCII."""
    text = unicodedata.normalize("NFKC", value).strip()
    local, at, domain = text.rpartition("@")
    if not at:
        return text  # not an address: the email validator says so
    if not local.isascii():
        raise ValidationError(NOT_ASCII, code="invalid")
    try:
        domain = domain.rstrip(".").encode("idna").decode("ascii").lower()
    except UnicodeError:
        return text  # a domain IDNA cannot write: the email validator refuses it
    return f"{local}@{domain}"


def email_key(value) -> str:
    """What two addresses are compared by (the database's `lower(email)`); "" for no address."""
    if not isinstance(value, str):
        return ""
    try:
        return normalize_email(value).lower()
    except ValidationError:
        return value.strip().lower()


class EmailAddressFormField(forms.EmailField):
    def to_python(self, value):
        value = super().to_python(value)
        return normalize_email(value) if value else value


class EmailAddressSerializerField(serializers.EmailField):
    def to_internal_value(self, data):
        return normalize_email(super().to_internal_value(data))


class EmailAddressField(models.EmailField):
    """An email, normalised by its form and serializer fields (`normalize_email`) before it is validated."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": EmailAddressFormField, **kwargs})
