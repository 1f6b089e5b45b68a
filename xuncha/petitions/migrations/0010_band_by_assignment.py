"""LSH bands carry their petition's assignment and time of receipt, indexed together, so a lookup of
earlier petitions of one assignment reads one covering index (issue 4's p95 target)."""

from django.db import migrations, models


def copy_from_petitions(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        sql = (
            "UPDATE petitions_petitionband b SET assignment_id = p.assignment_id, received_at = p.received_at "
            "FROM petitions_petition p WHERE p.id = b.petition_id"
        )
    else:
        sql = (
            "UPDATE petitions_petitionband SET "
            "assignment_id = (SELECT assignment_id FROM petitions_petition p WHERE p.id = petition_id), "
            "received_at = (SELECT received_at FROM petitions_petition p WHERE p.id = petition_id)"
        )
    schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("petitions", "0009_noted_disposition"), ("planning", "0001_initial")]

    operations = [
        migrations.RemoveIndex(model_name="petitionband", name="petition_band_lookup"),
        migrations.AddField(
            model_name="petitionband",
            name="assignment",
            field=models.ForeignKey(
                null=True, db_constraint=False, db_index=False, on_delete=models.DO_NOTHING, related_name="+",
                to="planning.assignment",
            ),
        ),
        migrations.AddField(model_name="petitionband", name="received_at", field=models.DateTimeField(null=True)),
        migrations.RunPython(copy_from_petitions, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="petitionband",
            name="assignment",
            field=models.ForeignKey(
                db_constraint=False, db_index=False, on_delete=models.DO_NOTHING, related_name="+",
                to="planning.assignment",
            ),
        ),
        migrations.AlterField(model_name="petitionband", name="received_at", field=models.DateTimeField()),
        migrations.AddIndex(
            model_name="petitionband",
            index=models.Index(
                fields=["assignment", "band", "value"], include=["petition", "received_at"], name="petition_band_lookup"
            ),
        ),
    ]
