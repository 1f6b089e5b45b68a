"""TOTP secrets move from clear text to ChaCha20-Poly1305 under the key outside the database (ADR 0012)."""

from typing import Any

from django.db import migrations, models

from xuncha.core.totp_keys import is_sealed, open_totp_secret, seal_totp_secret


def seal_existing(apps: Any, schema_editor: Any) -> None:
    """Seal every clear-text secret, each bound to its user's id."""
    User = apps.get_model("accounts", "User")
    for user in User.objects.exclude(totp_secret="").only("id", "totp_secret").iterator():
        if not is_sealed(user.totp_secret):
            User.objects.filter(pk=user.pk).update(totp_secret=seal_totp_secret(user.pk, user.totp_secret))


def open_existing(apps: Any, schema_editor: Any) -> None:
    """Back to clear text (needs the same key)."""
    User = apps.get_model("accounts", "User")
    for user in User.objects.exclude(totp_secret="").only("id", "totp_secret").iterator():
        if is_sealed(user.totp_secret):
            User.objects.filter(pk=user.pk).update(totp_secret=open_totp_secret(user.pk, user.totp_secret))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_credential_reset_requests"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="totp_secret",
            field=models.CharField(blank=True, max_length=128, verbose_name="动态口令密钥（密文）"),
        ),
        migrations.RunPython(seal_existing, open_existing, elidable=False),
    ]
