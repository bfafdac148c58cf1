"""Seed the two audiences and the editorial roles (groups with permissions)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

AUDIENCES = [
    {
        "code": "afm",
        "position": 1,
        "schema_type": "Patient",
        "readability_target": 60,
        "name_fr": "Patients et familles",
        "name_en": "Patients and families",
        "description_fr": "Des brèves en langage clair pour les personnes malades et leurs proches.",
        "description_en": "Plain-language briefs for patients and their families.",
        "disclaimer_fr": (
            "Cette information ne remplace pas l'avis de votre médecin. "
            "Parlez-en avec l'équipe qui vous suit avant de changer quoi que ce "
            "soit à votre traitement."
        ),
        "disclaimer_en": (
            "This information does not replace your doctor's advice. Talk to "
            "your care team before changing anything in your treatment."
        ),
    },
    {
        "code": "aim",
        "position": 2,
        "schema_type": "MedicalAudience",
        "readability_target": None,
        "name_fr": "Professionnels de santé",
        "name_en": "Health professionals",
        "description_fr": "Des brèves cliniques pour les professionnels de santé.",
        "description_en": "Clinical briefs for health professionals.",
        "disclaimer_fr": "",
        "disclaimer_en": "",
    },
]

READ = ["view_brief", "view_variant", "view_revision", "view_reviewevent",
        "view_source", "view_topic", "view_glossaryterm", "view_audience",
        "view_citation"]  # fmt: skip
WRITE = ["add_brief", "change_brief", "add_variant", "change_variant",
         "add_source", "change_source", "add_topic", "change_topic",
         "add_glossaryterm", "change_glossaryterm", "submit_variant"]  # fmt: skip
ROLES = {
    "Rédacteurs": READ + WRITE,
    "Relecteurs": READ + ["review_variant"],
    "Rédacteurs en chef": READ + WRITE + [
        "review_variant", "publish_variant", "delete_brief", "delete_variant",
        "delete_source", "delete_topic", "delete_glossaryterm", "change_audience",
    ],
}  # fmt: skip


def seed(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Audience = apps.get_model("briefs", "Audience")
    for data in AUDIENCES:
        fields = dict(data)
        code = fields.pop("code")
        fields["name"] = fields["name_fr"]
        fields["description"] = fields["description_fr"]
        fields["disclaimer"] = fields["disclaimer_fr"]
        Audience.objects.update_or_create(code=code, defaults=fields)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(
                content_type__app_label="briefs", codename__in=codenames
            )
        )


def unseed(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("briefs", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
