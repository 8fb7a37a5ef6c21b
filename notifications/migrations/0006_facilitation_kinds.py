# The follow-through kinds of notice and their groups (issue 25, facilitation). Numbered 0006: the
# other follow-through branch adds its 0005; at the merge this depends on that one.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0005_follow_through_kinds'),
    ]

    operations = [
        migrations.AlterField(
            model_name='notification',
            name='kind',
            field=models.CharField(choices=[('reply', 'Reply to your post'), ('thread_reply', 'New reply in a conversation you follow'), ('mention', 'Mention'), ('likes', 'Likes on your post'), ('new_reflection', 'New reflection in an activity you watch'), ('post_hidden', 'A moderator hid your post'), ('post_pending', 'Your post is hidden pending review'), ('post_restored', 'Your post was restored'), ('post_removed', 'A moderator removed your post'), ('suspended', 'Your account was suspended'), ('reinstated', 'Your suspension was lifted'), ('nudge', 'A reminder from your facilitator'), ('highlighted', 'A facilitator highlighted your reflection'), ('response_requested', 'A colleague is waiting to hear from you'), ('summary', 'A facilitator summarised an activity you reflected on')], max_length=20),
        ),
        migrations.AlterField(
            model_name='preference',
            name='group',
            field=models.CharField(choices=[('replies', 'Replies to you and in conversations you follow'), ('mentions', 'Mentions of you'), ('new_reflections', 'New reflections in activities you watch'), ('likes', 'Likes on your posts'), ('moderation', 'Moderation of your posts and account'), ('reminders', 'Reminders from your facilitators'), ('highlights', 'Highlights of your reflections by a facilitator'), ('responses', 'Colleagues waiting to hear from you'), ('summaries', 'Summaries of activities you reflected on')], max_length=20),
        ),
    ]
