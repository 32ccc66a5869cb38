from django.db import migrations


def load(apps, schema_editor):
    from documents.seed import seed_load

    seed_load(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_checklists_applications_notices"),
        ("hukou", "0002_business_catalogue"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
