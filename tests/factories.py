"""factory_boy factories for the test suite."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from candidates.models import Candidate
from interviews.models import Interview


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    is_superuser = True
    is_staff = True


def role(name: str):
    """The group "Recruiter" or "Viewer" with its permissions, as the roles migration makes it (again,
    where a transactional test's flush removed it)."""
    import importlib

    from django.contrib.auth.models import Group, Permission

    grants = getattr(importlib.import_module("dashboard.migrations.0004_roles"), name.upper())
    group, _ = Group.objects.get_or_create(name=name)
    for app_label, models in grants.items():
        for model, actions in models.items():
            codenames = [f"{action}_{model}" for action in actions]
            group.permissions.add(*Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))
    return group


PASSWORD = "correct horse battery staple"


def person(username: str, role_name: str | None = "Recruiter", **fields):
    """Someone who signs in with PASSWORD: not staff, not a superuser, in the role (group) given."""
    user = UserFactory(username=username, **({"is_superuser": False, "is_staff": False} | fields))
    user.set_password(PASSWORD)
    user.save()
    if role_name:
        user.groups.add(role(role_name))
    return user


def api_key_for(user, name: str = "tests") -> str:
    """A new API key for `user` (the key itself; only its hash is stored)."""
    from accounts.services import api_key_create

    return api_key_create(user=user, name=name)[1]


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"candidate{n}@example.com")
    position = "Backend Developer"
    applied_date = factory.LazyFunction(timezone.now)
    last_updated = factory.SelfAttribute("applied_date")


class InterviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interview

    candidate = factory.SubFactory(CandidateFactory)
    # From tomorrow, an hour apart, each with an interviewer of its own: none double-books anyone, merged
    # candidates included.
    scheduled_date = factory.LazyFunction(
        lambda: timezone.now() + datetime.timedelta(days=1, minutes=61 * Interview.objects.count())
    )
    interviewer = factory.Sequence(lambda n: f"Interviewer {n}")
