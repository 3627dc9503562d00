from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    """Signed webhooks: subscriptions, and the deliveries derived from every statement of what changed."""

    name = "webhooks"
    verbose_name = "Webhooks"

    def ready(self):
        from recruitos import changes
        from webhooks import known  # noqa: F401 (connects its signal receivers)
        from webhooks.outbox import Outbox

        changes.register(Outbox())
