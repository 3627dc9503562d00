"""
Emails in their one written form (recruitos.emails.normalize_email): full-width letters folded,
domains in lowercase ASCII. Stops, naming them, if two stored candidates turn out to share an
address once written the same way (merge them first: `manage.py merge_candidates KEEP OTHER`),
or if a stored address cannot be written so (fix it first).
"""

from django.core.exceptions import ValidationError
from django.db import migrations

import recruitos.emails
import recruitos.text


def normalize_stored_emails(apps, schema_editor):
    Candidate = apps.get_model("candidates", "Candidate")
    owners, changed, problems = {}, [], []
    for pk, email in Candidate.objects.order_by("pk").values_list("pk", "email").iterator():
        try:
            normal = recruitos.emails.normalize_email(email)
        except ValidationError:
            problems.append(f"candidate {pk}: {email!r} has letters other than plain ASCII before the @")
            continue
        key = normal.lower()
        if key in owners:
            problems.append(f"candidates {owners[key]} and {pk} are both {normal}")
        owners.setdefault(key, pk)
        if normal != email:
            changed.append((pk, normal))
    if problems:
        raise RuntimeError(
            "Some stored emails must be fixed before this migration (merge duplicates with "
            "`manage.py merge_candidates KEEP OTHER`, correct the others in the admin):\n  " + "\n  ".join(problems)
        )
    for pk, normal in changed:
        Candidate.objects.filter(pk=pk).update(email=normal)


class Migration(migrations.Migration):
    dependencies = [
        ("candidates", "0010_plain_text"),
    ]

    operations = [
        migrations.AlterField(
            model_name="candidate",
            name="email",
            field=recruitos.emails.EmailAddressField(max_length=255, validators=[recruitos.text.PlainText()]),
        ),
        # Backwards: the addresses stay in their normal form (as valid as before).
        migrations.RunPython(normalize_stored_emails, migrations.RunPython.noop),
    ]
