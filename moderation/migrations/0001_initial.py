# Moves Flag and ModerationAction from the community app to this one. The tables stay where they
# are (db_table keeps their names), so no data moves: only Django's state and the content types.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("flag", "moderationaction"):
        ContentType.objects.filter(app_label="community", model=model).update(app_label="moderation")


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("flag", "moderationaction"):
        ContentType.objects.filter(app_label="moderation", model=model).update(app_label="community")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("community", "0003_moderation"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
        migrations.CreateModel(
            name='ModerationAction',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('dismiss', 'Dismissed reports'), ('hide', 'Hid a post'), ('auto_hide', 'Hid a post automatically (report threshold)'), ('restore', 'Restored a post'), ('edit', 'Edited a post'), ('delete', 'Deleted a post permanently'), ('lock', 'Locked an activity'), ('unlock', 'Unlocked an activity'), ('suspend', 'Suspended a member'), ('lift', 'Lifted a suspension')], max_length=20)),
                ('post_id', models.PositiveBigIntegerField(blank=True, help_text='Kept when the post is deleted.', null=True)),
                ('reason', models.TextField(blank=True)),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                ('actor', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('member', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('prompt', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='community.prompt')),
                ('reflection', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='community.reflection')),
            ],
            options={
                'db_table': 'community_moderationaction',
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Flag',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reason', models.CharField(choices=[('spam', 'Spam or advertising'), ('harassment', 'Harassment or abuse'), ('off_topic', 'Off-topic'), ('other', 'Something else')], max_length=20)),
                ('note', models.TextField(blank=True, max_length=1000)),
                ('status', models.CharField(choices=[('open', 'Open'), ('dismissed', 'Dismissed'), ('actioned', 'Acted on')], default='open', max_length=20)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('resolved_at', models.DateTimeField(blank=True, null=True)),
                ('reflection', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='flags', to='community.reflection')),
                ('reporter', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='flags_made', to=settings.AUTH_USER_MODEL)),
                ('resolved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'db_table': 'community_flag',
                'ordering': ['-created_at'],
                'indexes': [models.Index(fields=['status', 'created_at'], name='community_f_status_1e24c3_idx')],
                'constraints': [models.UniqueConstraint(fields=('reflection', 'reporter'), name='one_flag_per_member')],
            },
        ),
            ],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
