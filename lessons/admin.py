from django.contrib import admin, messages
from markdownx.admin import MarkdownxModelAdmin

from lessons import services
from lessons.models import Course, Lesson


class PublishedThroughService:
    """``published`` changes only through the lessons service: one locked transaction and its own
    History entry ("Published" / "Unpublished"), from an action, the list or the change form.

    The form saves every other field with ``published`` as the row has it. Once the admin has
    written its own entry ("Added." / "Changed title."), the service flips ``published``, so History
    reads in order; a change of ``published`` alone leaves only the service's entry.
    """

    def set_published(self, obj, published: bool, by) -> None:
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        obj._published_wanted = None
        if "published" in form.changed_data:
            obj._published_wanted = obj.published
            # Keep what the row holds now (a new row starts unpublished).
            stored = type(obj).objects.filter(pk=obj.pk).values_list("published", flat=True)
            obj.published = bool(change and stored.first())
        super().save_model(request, obj, form, change)

    def construct_change_message(self, request, form, formsets, add=False):
        message = super().construct_change_message(request, form, formsets, add)
        if "published" in form.changed_data and not add:
            label = str(form["published"].label)
            for entry in message:
                fields = entry.get("changed", {}).get("fields")
                if fields and label in fields and "name" not in entry["changed"]:
                    fields.remove(label)
            message = [entry for entry in message if entry.get("changed", {}).get("fields", True)]
        return message

    def _publish_if_asked(self, request, obj) -> None:
        wanted = getattr(obj, "_published_wanted", None)
        if wanted is not None:
            self.set_published(obj, wanted, request.user)
            obj.published, obj._published_wanted = wanted, None

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self._publish_if_asked(request, obj)
        return entry

    def log_change(self, request, obj, message):
        only_published = not message and getattr(obj, "_published_wanted", None) is not None
        entry = None if only_published else super().log_change(request, obj, message)
        self._publish_if_asked(request, obj)
        return entry


def _publish_action(model_admin_name: str, published: bool, description: str):
    """An admin action that publishes or unpublishes each selected object through the service."""

    @admin.action(description=description)
    def action(modeladmin, request, queryset):
        changed = queryset.exclude(published=published)
        for obj in changed:
            modeladmin.set_published(obj, published, request.user)
        verb = "Published" if published else "Unpublished"
        modeladmin.message_user(request, f"{verb} {len(changed)} of {queryset.count()}.", messages.SUCCESS)

    action.__name__ = f"{'publish' if published else 'unpublish'}_{model_admin_name}"
    return action


class LessonInline(admin.TabularInline):
    model = Lesson
    fields = ("position", "number", "title", "published")
    # Publishing a lesson is recorded: it happens on the lesson list or the lesson's own page.
    readonly_fields = ("published",)
    extra = 0
    show_change_link = True
    ordering = ("position", "number")


@admin.register(Course)
class CourseAdmin(PublishedThroughService, admin.ModelAdmin):
    list_display = ("title", "published", "position", "updated_at")
    list_editable = ("published", "position")
    list_filter = ("published",)
    search_fields = ("title", "summary")
    prepopulated_fields = {"slug": ("title",)}
    inlines = [LessonInline]
    actions = [
        _publish_action("courses", True, "Publish selected courses"),
        _publish_action("courses", False, "Unpublish selected courses"),
    ]
    view_on_site = True

    def set_published(self, obj, published: bool, by) -> None:
        services.set_course_published(course=obj, published=published, by=by)


@admin.register(Lesson)
class LessonAdmin(PublishedThroughService, MarkdownxModelAdmin):
    # search_fields also serve the prompt admin's lesson autocomplete.
    list_display = ("title", "course", "number", "position", "published", "updated_at")
    list_editable = ("position", "published")
    list_filter = ("course", "published")
    list_select_related = ("course",)
    search_fields = ("title", "summary", "body", "course__title")
    prepopulated_fields = {"slug": ("title",)}
    actions = [
        _publish_action("lessons", True, "Publish selected lessons"),
        _publish_action("lessons", False, "Unpublish selected lessons"),
    ]
    ordering = ("course", "position", "number")
    fields = ("course", "number", "title", "slug", "summary", "body", "published", "position")
    view_on_site = True

    def set_published(self, obj, published: bool, by) -> None:
        services.set_lesson_published(lesson=obj, published=published, by=by)
