from django.contrib import admin
from markdownx.admin import MarkdownxModelAdmin

from lessons.models import Course, Lesson


class LessonInline(admin.TabularInline):
    model = Lesson
    fields = ("position", "number", "title", "published")
    extra = 0
    show_change_link = True
    ordering = ("position", "number")


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ("title", "published", "position", "updated_at")
    list_editable = ("published", "position")
    list_filter = ("published",)
    search_fields = ("title", "summary")
    prepopulated_fields = {"slug": ("title",)}
    inlines = [LessonInline]
    view_on_site = True


@admin.action(description="Publish selected lessons")
def publish_lessons(modeladmin, request, queryset):
    queryset.update(published=True)


@admin.action(description="Unpublish selected lessons")
def unpublish_lessons(modeladmin, request, queryset):
    queryset.update(published=False)


@admin.register(Lesson)
class LessonAdmin(MarkdownxModelAdmin):
    # search_fields also serve the prompt admin's lesson autocomplete.
    list_display = ("title", "course", "number", "position", "published", "updated_at")
    list_editable = ("position", "published")
    list_filter = ("course", "published")
    list_select_related = ("course",)
    search_fields = ("title", "summary", "body", "course__title")
    prepopulated_fields = {"slug": ("title",)}
    actions = [publish_lessons, unpublish_lessons]
    ordering = ("course", "position", "number")
    fields = ("course", "number", "title", "slug", "summary", "body", "published", "position")
    view_on_site = True
