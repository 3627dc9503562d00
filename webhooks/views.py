"""`/api/webhooks`: webhook subscriptions, for superusers and holders of the subscription permissions."""

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from recruitos.schema import SIGNED_IN, errors
from recruitos.viewsets import IdLookupMixin
from webhooks.models import Subscription
from webhooks.serializers import NewSubscriptionSerializer, SubscriptionSerializer


class SubscriptionViewSet(
    IdLookupMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """
    Where events go. Reading needs `webhooks.view_subscription`, writing the add, change or
    delete permission (superusers have all). The signing secret is shown once, when created.
    """

    queryset = Subscription.objects.all()
    serializer_class = SubscriptionSerializer
    filter_backends = []

    @extend_schema(
        request=SubscriptionSerializer, responses={201: NewSubscriptionSerializer, **errors(400, *SIGNED_IN)}
    )
    def create(self, request):
        serializer = SubscriptionSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        subscription = serializer.save(created_by=request.user)
        return Response(NewSubscriptionSerializer(subscription).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return super().update(request, *args, **kwargs)

    @transaction.atomic
    def perform_update(self, serializer):
        # Turned on again: its failures are forgotten, and it is tried afresh.
        if serializer.validated_data.get("active") and not serializer.instance.active:
            serializer.save(disabled_reason="", consecutive_failures=0, failing_since=None)
        else:
            serializer.save()
