"""
The single-line text rule (recruitos.text: no control or bidirectional characters) holds for every
text field of every model (issue 33, item 6). The walk below finds each one and says how it holds:
a validator; Django's own models through the admin's forms; text quoted from outside written
escaped; or written by the system from values that hold it. A new text field fails the walk until
it is placed.
"""

import io

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import models

from accounts.admin import PlainTextGroupAdmin, PlainTextUserAdmin
from accounts.models import ApiKey
from imports.services import import_here
from recruitos.text import PlainText, escaped
from webhooks.models import Subscription

#: Django's and its libraries' models a person types into: the admin's forms hold them (tested below).
BY_THE_ADMINS_FORMS = {
    "auth.User.username", "auth.User.first_name", "auth.User.last_name", "auth.User.email", "auth.Group.name",
}  # fmt: skip
#: Text from outside that is kept as it came: each character the rule refuses written as \uXXXX.
ESCAPED = {
    "imports.ImportJob.file_name": "the upload's name (imports.services)",
    "imports.ImportJob.error": "a file error, which may quote the file (imports.tasks.stored_text)",
    "dashboard.SyncRun.source": "the job's file name, escaped there",
    "dashboard.SyncRun.error": "the job's error, escaped there",
    "webhooks.Attempt.error": "a connection's failure (webhooks.sending)",
    "webhooks.Attempt.response_excerpt": "the receiver's answer (webhooks.sending)",
}
#: Written by the system only, from values that hold the rule or that it makes itself.
BY_THE_SYSTEM = {
    "admin.LogEntry.object_id": "a key",
    "admin.LogEntry.object_repr": "an object's __str__, of fields that hold the rule",
    "admin.LogEntry.change_message": "Django's JSON of the fields changed",
    "auth.Permission.name": "made by migrations",
    "auth.Permission.codename": "made by migrations",
    "auth.User.password": "a hash",
    "contenttypes.ContentType.app_label": "made by migrations",
    "contenttypes.ContentType.model": "made by migrations",
    "sessions.Session.session_key": "random",
    "sessions.Session.session_data": "signed data",
    "rest_framework_api_key.APIKey.id": "random (the library's model, unused: accounts.ApiKey)",
    "rest_framework_api_key.APIKey.prefix": "random",
    "rest_framework_api_key.APIKey.hashed_key": "a hash",
    "rest_framework_api_key.APIKey.name": "unused: the admin and commands make accounts.ApiKey",
    "accounts.ApiKey.id": "random",
    "accounts.ApiKey.prefix": "random",
    "accounts.ApiKey.hashed_key": "a hash",
    "interviews.Interview.interviewer_key": "computed from the interviewer, which holds the rule",
    "dashboard.Activity.detail": "the feed's own sentence, of values that hold the rule or are escaped",
    "dashboard.Activity.candidate_name": "copied from the candidate",
    "dashboard.Activity.interviewer": "copied from the interview",
    "imports.ImportJob.stored_file": "a random path",
    "webhooks.Subscription.secret": "random",
    "webhooks.Subscription.disabled_reason": "the system's sentence with a status code",
    "webhooks.Delivery.body": "JSON of an object whose fields hold the rule",
}
#: django-axes' records of sign-in attempts: what a client sent, kept as it came (shown escaped by
#: the admin's HTML, never written to a terminal or an export), for the lockout and its review.
AXES_RECORDS = {
    f"axes.{model}.{field}"
    for model, fields in {
        "AccessAttempt": ["user_agent", "username", "http_accept", "path_info", "get_data", "post_data"],
        "AccessFailureLog": ["user_agent", "username", "http_accept", "path_info"],
        "AccessLog": ["user_agent", "username", "http_accept", "path_info", "session_hash"],
    }.items()
    for field in fields
}
CONTROLS = ["\x1b[31mred", "a\u202eb", "a\x07b", "a\x85b"]


def text_fields() -> dict[str, models.Field]:
    return {
        f"{model._meta.label}.{field.name}": field
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.CharField | models.TextField) and field.concrete and not field.choices
    }


def test_every_text_field_of_every_model_holds_the_rule_one_way():
    with_validator = {
        name for name, field in text_fields().items() if any(isinstance(v, PlainText) for v in field.validators)
    }
    placed = [with_validator, BY_THE_ADMINS_FORMS, set(ESCAPED), set(BY_THE_SYSTEM), AXES_RECORDS]
    assert sorted(set(text_fields()) - set().union(*placed)) == []  # every field is placed
    assert sorted(set().union(*placed) - set(text_fields())) == []  # and nothing placed is gone
    assert sum(map(len, placed)) == len(text_fields())  # each in one place only
    assert {"accounts.ApiKey.name", "webhooks.Subscription.url", "webhooks.Subscription.description"} <= with_validator


@pytest.mark.parametrize("text", CONTROLS)
def test_a_webhook_description_or_url_with_a_control_character_is_refused(auth_client, text):
    for body in (
        {"url": "https://93.184.216.34/hooks", "events": ["candidate.created"], "description": text},
        {"url": f"https://93.184.216.34/{text}", "events": ["candidate.created"]},
    ):
        response = auth_client.post("/api/webhooks", body, format="json")
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] in ("description", "url")
    assert not Subscription.objects.exists()


@pytest.mark.parametrize("text", CONTROLS)
def test_an_api_key_name_with_a_control_character_is_refused(db, text):
    User.objects.create_user("kim")
    with pytest.raises(CommandError, match="Remove the control character"):
        call_command("create_api_key", "kim", "--name", text)
    assert not ApiKey.objects.exists()


@pytest.mark.parametrize("text", CONTROLS)
def test_the_admins_forms_refuse_control_characters_in_names(db, text):
    user = User.objects.create_user("kim")
    change = PlainTextUserAdmin.form(
        instance=user, data={"username": "kim", "first_name": text, "date_joined": "2026-01-01 00:00:00"}
    )
    assert "first_name" in change.errors
    creation = PlainTextUserAdmin.add_form(data={"username": f"x{text}", "password1": "", "password2": ""})
    assert "username" in creation.errors
    role = PlainTextGroupAdmin.form(data={"name": text})
    assert "name" in role.errors


def test_text_from_outside_is_kept_escaped(db):
    job = import_here(io.BytesIO(b'[{"email": "a@example.com", "st\\u001batus": "x"}]'), "file\x1b[2J\u202e.json")
    assert job.file_name == "file\\u001b[2J\\u202e.json"
    assert job.errors[0]["field"] == "st\\u001batus"
    assert escaped("line\nbreak\ttab\x00nul", multiline=True) == "line\nbreak\ttab\\u0000nul"
    assert escaped("line\nbreak") == "line\\u000abreak"
