# Indexes for the public listings and the admin changelist.

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('briefs', '0005_brief_slug_help'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='variant',
            name='variant_public_listing',
        ),
        migrations.AddIndex(
            model_name='variant',
            index=models.Index(condition=models.Q(('live_revision__isnull', False)), fields=['audience', '-first_published_at', '-id'], name='variant_public_audience'),
        ),
        migrations.AddIndex(
            model_name='variant',
            index=models.Index(condition=models.Q(('live_revision__isnull', False)), fields=['-first_published_at', '-id'], name='variant_public_latest'),
        ),
        migrations.AddIndex(
            model_name='variant',
            index=models.Index(fields=['-updated_at', '-id'], name='variant_recently_updated'),
        ),
    ]
