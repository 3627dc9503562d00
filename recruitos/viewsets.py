"""
The base viewset every model endpoint uses.

Reads are DRF's; writes go through service functions (`<entity>_create`,
`<entity>_update`, `<entity>_delete`), so the API, the admin and the management
commands share one implementation of each rule. PUT is a partial update, as the
contract's `*Update` models say, and PATCH is accepted the same way.
"""

from rest_framework import mixins, viewsets


class ServiceModelViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """
    A model viewset whose writes call services.

    Subclasses set `create_service`, `update_service` and `delete_service` (wrapped in
    `staticmethod`) besides the usual `queryset`, `serializer_class` and `filterset_class`.
    """

    create_service = None
    update_service = None
    delete_service = None
    # Any path segment reaches the view, so /api/candidates/0.5 is "Candidate not found".
    lookup_value_regex = "[^/]+"

    def update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return super().update(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = self.create_service(data=serializer.validated_data, actor=self.request.user)

    def perform_update(self, serializer):
        serializer.instance = self.update_service(
            instance=serializer.instance, data=serializer.validated_data, actor=self.request.user
        )

    def perform_destroy(self, instance):
        self.delete_service(instance=instance, actor=self.request.user)
