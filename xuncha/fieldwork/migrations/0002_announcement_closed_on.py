from django.db import migrations, models

OPEN = ("planned", "preparing", "notified", "entered", "on_site")


def close_past_ones(apps, schema_editor):
    """Announcements of assignments already past the on-site stage close from the day they left it."""
    Announcement = apps.get_model("fieldwork", "Announcement")
    AssignmentEvent = apps.get_model("planning", "AssignmentEvent")
    for announcement in Announcement.objects.exclude(assignment__state__in=OPEN).filter(closed_on__isnull=True):
        left = (
            AssignmentEvent.objects.filter(assignment_id=announcement.assignment_id)
            .exclude(to_state__in=OPEN)
            .order_by("pk")
            .values_list("effective_on", flat=True)
            .first()
        )
        announcement.closed_on = left or announcement.period_end
        announcement.save(update_fields=["closed_on"])


class Migration(migrations.Migration):
    dependencies = [
        ("fieldwork", "0001_initial"),
        ("planning", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="announcement",
            name="closed_on",
            field=models.DateField(blank=True, null=True, verbose_name="网上受理关闭日期"),
        ),
        migrations.RunPython(close_past_ones, migrations.RunPython.noop),
    ]
