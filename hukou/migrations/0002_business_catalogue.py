from django.db import migrations


def load_catalogue(apps, schema_editor):
    from hukou.catalogue import CATALOGUE

    BusinessType = apps.get_model("hukou", "BusinessType")
    for code, name, effect, certificate, days, receivers, approvers in CATALOGUE:
        BusinessType.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "effect": effect,
                "certificate": certificate,
                "time_limit_working_days": days,
                "receiver_roles": receivers,
                "approver_roles": approvers,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("hukou", "0001_initial")]

    operations = [migrations.RunPython(load_catalogue, migrations.RunPython.noop)]
