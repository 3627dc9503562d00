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
    scheduled_date = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=1))
    interviewer = "Jane Doe"
