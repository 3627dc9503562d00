"""API permissions: Django's model permissions, as the admin uses them."""

from rest_framework.permissions import DjangoModelPermissions


class ModelPermissions(DjangoModelPermissions):
    """
    The key's user needs the model's `view` permission to read, and `add`, `change` or
    `delete` to write; superusers may do everything. A refusal is 403 with DRF's message.
    """

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
    }
