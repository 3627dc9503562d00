from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    """Signed webhooks: subscriptions, and the deliveries derived from every statement of what changed."""

    name = "webhooks"
    verbose_name = "Webhooks"

    def ready(self):
        from recruitos import changes
        from recruitos.tasks import work_ended
        from webhooks import known, owners  # noqa: F401 (known connects its signal receivers)
        from webhooks.outbox import Outbox
        from webhooks.tasks import drain_before_exit

        changes.register(Outbox())
        owners.connect()  # a subscription stops when its owner may no longer read its events
        work_ended.connect(drain_before_exit, dispatch_uid="webhooks.drain_before_exit")
