"""A delivery is held by a lease (recruitos.leases): `locked_until` is the lease's end, a token who holds it."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("webhooks", "0002_delivery_object_id"),
    ]

    operations = [
        migrations.RenameField(model_name="delivery", old_name="locked_until", new_name="lease_until"),
        migrations.AlterField(
            model_name="delivery",
            name="lease_until",
            field=models.DateTimeField(blank=True, editable=False, help_text="Held until then.", null=True),
        ),
        migrations.AddField(
            model_name="delivery",
            name="lease_token",
            field=models.UUIDField(blank=True, editable=False, help_text="Who holds it: a runner's token.", null=True),
        ),
    ]
