"""Profiles (a person's public title) and the seed glossary of the demo brief."""

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models



# slug, French term, French forms, French definition, English term, English forms, English definition
GLOSSARY = [
    (
        "pneumopathie-interstitielle",
        "pneumopathie interstitielle", "pneumopathies interstitielles, atteinte pulmonaire interstitielle",
        "une maladie des poumons : le tissu entre les petits sacs d'air s'enflamme et durcit, ce qui gêne la respiration",
        "interstitial lung disease", "interstitial lung diseases, ILD",
        "a lung disease: the tissue between the small air sacs becomes inflamed and stiff, which makes breathing harder",
    ),
    (
        "autoanticorps-anti-mda5",
        "autoanticorps anti-MDA5", "anticorps anti-MDA5, anti-MDA5",
        "des défenses du corps qui se trompent de cible et attaquent une protéine appelée MDA5 ; on les trouve par une prise de sang",
        "anti-MDA5 autoantibodies", "anti-MDA5 antibodies, anti-MDA5 autoantibody, anti-MDA5",
        "body defences that attack, by mistake, a protein called MDA5; a blood test finds them",
    ),
    (
        "immunosuppresseur",
        "immunosuppresseur", "immunosuppresseurs, traitement immunosuppresseur",
        "un médicament qui freine les défenses du corps, c'est-à-dire le système immunitaire, quand elles s'attaquent au corps lui-même",
        "immunosuppressant", "immunosuppressants, immunosuppressive drug",
        "a medicine that slows down the body's defences, the immune system, when they attack the body itself",
    ),
    (
        "amm",
        "AMM", "autorisation de mise sur le marché",
        "autorisation de mise sur le marché : l'accord des autorités de santé pour vendre un médicament dans une maladie donnée",
        "marketing authorisation", "marketing authorization, MA",
        "the health authorities' approval to sell a medicine for a given disease",
    ),
    (
        "hors-amm",
        "hors AMM", "",
        "quand un médecin prescrit un médicament dans une maladie pour laquelle il n'a pas encore reçu l'accord des autorités de santé",
        "off-label", "off label",
        "when a doctor prescribes a medicine for a disease it has not yet been approved for",
    ),
    (
        "plasmapherese",
        "plasmaphérèse", "échanges plasmatiques, échange plasmatique",
        "un traitement qui filtre le sang pour en retirer le plasma, sa partie liquide, avec les anticorps nocifs qu'il contient",
        "plasmapheresis", "plasma exchange, plasma exchanges",
        "a treatment that filters the blood to remove the plasma, its liquid part, with the harmful antibodies in it",
    ),
    (
        "corticoides",
        "corticoïdes", "corticoïde, corticostéroïdes, corticothérapie",
        "des médicaments dérivés de la cortisone qui calment l'inflammation",
        "corticosteroids", "corticosteroid, steroids",
        "medicines related to cortisone that calm inflammation",
    ),
    (
        "dermatomyosite",
        "dermatomyosite", "dermatomyosites",
        "une maladie rare où les défenses du corps attaquent les muscles et la peau : faiblesse musculaire et plaques rouges sur la peau",
        "dermatomyositis", "",
        "a rare disease in which the body's defences attack the muscles and the skin: muscle weakness and red patches on the skin",
    ),
    (
        "polymyosite",
        "polymyosite", "polymyosites",
        "une maladie rare où les défenses du corps attaquent plusieurs muscles, qui deviennent faibles",
        "polymyositis", "",
        "a rare disease in which the body's defences attack several muscles, which become weak",
    ),
    (
        "myosite",
        "myosite", "myosites",
        "une inflammation des muscles ; les myosites sont un groupe de maladies qui affaiblissent les muscles",
        "myositis", "myositides",
        "inflammation of the muscles; myositis is a group of diseases that make the muscles weak",
    ),
    (
        "tacrolimus",
        "tacrolimus", "",
        "un médicament immunosuppresseur, utilisé surtout pour éviter le rejet d'un organe greffé",
        "tacrolimus", "",
        "an immunosuppressant medicine, mostly used to stop the body rejecting a transplanted organ",
    ),
    (
        "cyclophosphamide",
        "cyclophosphamide", "",
        "un médicament puissant qui freine les défenses du corps, donné dans les formes graves de certaines maladies auto-immunes",
        "cyclophosphamide", "",
        "a strong medicine that slows down the body's defences, given in severe forms of some autoimmune diseases",
    ),
    (
        "essai-clinique",
        "essai clinique", "essais cliniques",
        "une étude où des volontaires reçoivent un traitement selon des règles strictes, pour savoir s'il est efficace et sûr",
        "clinical trial", "clinical trials",
        "a study in which volunteers receive a treatment under strict rules, to find out whether it works and is safe",
    ),
    (
        "syndrome-des-antisynthetases",
        "syndrome des antisynthétases", "syndrome des anti-synthétases, syndrome anti-synthétase",
        "une forme de myosite qui touche souvent aussi les poumons et les articulations",
        "antisynthetase syndrome", "anti-synthetase syndrome",
        "a form of myositis that often also affects the lungs and the joints",
    ),
    (
        "azathioprine",
        "azathioprine", "",
        "un médicament immunosuppresseur pris par la bouche, souvent sur une longue durée",
        "azathioprine", "",
        "an immunosuppressant medicine taken by mouth, often for a long time",
    ),
]

CHIEF_EDITORS = "Rédacteurs en chef"
PROFILE_PERMISSIONS = ["add_profile", "change_profile", "view_profile"]


def seed(apps, schema_editor):
    GlossaryTerm = apps.get_model("briefs", "GlossaryTerm")
    for slug, term_fr, forms_fr, def_fr, term_en, forms_en, def_en in GLOSSARY:
        GlossaryTerm.objects.update_or_create(
            slug=slug,
            defaults={
                "term": term_fr, "term_fr": term_fr, "term_en": term_en,
                "definition": def_fr, "definition_fr": def_fr, "definition_en": def_en,
                "variants_of_term": forms_fr, "variants_of_term_fr": forms_fr,
                "variants_of_term_en": forms_en,
            },
        )
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=CHIEF_EDITORS).first()
    if group is not None:
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="briefs", codename__in=PROFILE_PERMISSIONS
            )
        )


def unseed(apps, schema_editor):
    apps.get_model("briefs", "GlossaryTerm").objects.filter(
        slug__in=[row[0] for row in GLOSSARY]
    ).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('briefs', '0002_seed_audiences_and_roles'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Profile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(blank=True, help_text='Affichée sur les pages publiques, par exemple « médecin ».', max_length=120, verbose_name='fonction')),
                ('title_fr', models.CharField(blank=True, help_text='Affichée sur les pages publiques, par exemple « médecin ».', max_length=120, null=True, verbose_name='fonction')),
                ('title_en', models.CharField(blank=True, help_text='Affichée sur les pages publiques, par exemple « médecin ».', max_length=120, null=True, verbose_name='fonction')),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='profile', to=settings.AUTH_USER_MODEL, verbose_name='utilisateur')),
            ],
            options={
                'verbose_name': 'profil',
                'verbose_name_plural': 'profils',
            },
        ),
        migrations.RunPython(seed, unseed),
    ]
