"""A job is held by a lease (recruitos.leases): its last heartbeat becomes the lease's end, a token who holds it."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0002_import_job_via"),
    ]

    operations = [
        migrations.RenameField(model_name="importjob", old_name="heartbeat_at", new_name="lease_until"),
        migrations.AlterField(
            model_name="importjob",
            name="lease_until",
            field=models.DateTimeField(blank=True, editable=False, help_text="Held until then.", null=True),
        ),
        migrations.AddField(
            model_name="importjob",
            name="lease_token",
            field=models.UUIDField(blank=True, editable=False, help_text="Who holds it: a runner's token.", null=True),
        ),
    ]
