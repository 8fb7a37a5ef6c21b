from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Count
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from markdownx.admin import MarkdownxModelAdmin

from core.admin import took_the_saved_row
from lessons import services
from lessons.models import Cohort, Course, Enrolment, Lesson


class PublishedThroughService:
    """Every write through the lessons services: the form's fields through ``create``/``update``
    (``service_fields``), and ``published`` only through its own service, with one locked
    transaction and its own History entry ("Published" / "Unpublished"), from an action, the list
    or the change form.

    The form saves every other field with ``published`` as the row has it. Once the admin has
    written its own entry ("Added." / "Changed title."), the service flips ``published``, so History
    reads in order; a change of ``published`` alone leaves only the service's entry.
    """

    service_fields: tuple[str, ...] = ()

    def set_published(self, obj, published: bool, by) -> None:
        raise NotImplementedError

    def create(self, fields: dict):
        raise NotImplementedError

    def update(self, obj, fields: dict):
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        obj._published_wanted = None
        if "published" in form.changed_data:
            obj._published_wanted = obj.published
            # Keep what the row holds now (a new row starts unpublished).
            stored = type(obj).objects.filter(pk=obj.pk).values_list("published", flat=True)
            obj.published = bool(change and stored.first())
        fields = {name: form.cleaned_data[name] for name in form.cleaned_data if name in self.service_fields}
        took_the_saved_row(obj, self.update(obj, fields) if change else self.create(fields))

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
        count, total = len(changed), queryset.count()
        if published:
            # Translators: after the admin's "Publish selected …" action: "Published 2 of 3."
            text = ngettext("Published %(count)s of %(total)s.", "Published %(count)s of %(total)s.", count)
        else:
            # Translators: after the admin's "Unpublish selected …" action: "Unpublished 2 of 3."
            text = ngettext(
                "Unpublished %(count)s of %(total)s.", "Unpublished %(count)s of %(total)s.", count
            )
        modeladmin.message_user(request, text % {"count": count, "total": total}, messages.SUCCESS)

    action.__name__ = f"{'publish' if published else 'unpublish'}_{model_admin_name}"
    return action


class LessonInline(admin.TabularInline):
    """The course's lessons: their order and titles. A lesson is added on its own page (its slug
    and body are there); publishing it is recorded, on the lesson list or the lesson's page."""

    model = Lesson
    fields = ("position", "number", "title", "published")
    readonly_fields = ("published",)
    extra = 0
    show_change_link = True
    ordering = ("position", "number")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Course)
class CourseAdmin(PublishedThroughService, admin.ModelAdmin):
    list_display = ("title", "published", "position", "updated_at")
    list_editable = ("published", "position")
    list_filter = ("published",)
    search_fields = ("title", "summary")
    prepopulated_fields = {"slug": ("title",)}
    inlines = [LessonInline]
    actions = [
        _publish_action("courses", True, _("Publish selected courses")),
        _publish_action("courses", False, _("Unpublish selected courses")),
    ]
    view_on_site = True
    fields = (
        "title", "slug", "summary", "published", "position", "joining", "learners_see", "language", "time_zone",
    )  # fmt: skip

    service_fields = services.COURSE_FIELDS

    def set_published(self, obj, published: bool, by) -> None:
        services.set_course_published(course=obj, published=published, by=by)

    def create(self, fields: dict) -> Course:
        return services.create_course(**fields)  # with its default cohort

    def update(self, obj, fields: dict) -> Course:
        return services.update_course(course=obj, **fields)

    def save_formset(self, request, form, formset, change):
        """The lessons' order and titles through the lessons services, and their deletes too (their
        activities go with them, counted)."""
        formset.save(commit=False)
        services.delete_lessons(lessons=formset.deleted_objects)
        for lesson, changed in formset.changed_objects:
            fields = {name: getattr(lesson, name) for name in changed if name in services.LESSON_FIELDS}
            services.update_lesson(lesson=lesson, **fields)

    def delete_model(self, request, obj):
        services.delete_courses(courses=[obj])

    def delete_queryset(self, request, queryset):
        services.delete_courses(courses=queryset)


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ("shown_name", "course", "starts_on", "member_count", "invite_link")
    list_filter = ("course",)
    search_fields = ("name", "course__title")
    filter_horizontal = ("facilitators",)
    list_select_related = ("course",)
    ordering = ("course", "-starts_on")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(members=Count("enrolments"))

    @admin.display(description=_("name"), ordering="name")
    def shown_name(self, cohort):
        return cohort.label  # the default cohort's in the reader's language

    def get_readonly_fields(self, request, obj=None):
        return ("course",) if obj else ()  # its enrolments are its course's

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in services.COHORT_FIELDS}
        if change:
            saved = services.update_cohort(cohort=obj, **fields)
        else:
            saved = services.create_cohort(course=form.cleaned_data["course"], **fields)
        took_the_saved_row(obj, saved)

    def save_related(self, request, form, formsets, change):
        """The facilitators through the service (no other related rows are edited here)."""
        if "facilitators" in form.cleaned_data:
            services.set_facilitators(cohort=form.instance, users=form.cleaned_data["facilitators"])
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        services.delete_cohorts(cohorts=[obj])

    def delete_queryset(self, request, queryset):
        services.delete_cohorts(cohorts=queryset)

    @admin.display(description=_("Enrolled"), ordering="members")
    def member_count(self, obj) -> int:
        return obj.members

    @admin.display(description=pgettext_lazy("verb", "Invite"))
    def invite_link(self, obj) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("lessons:invite", args=[obj.course.slug]),
            gettext("Invite members"),
        )


class MoveToCohortForm(forms.Form):
    cohort = forms.ModelChoiceField(queryset=Cohort.objects.select_related("course"), label=_("Move to"))


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ("user", "course", "cohort", "enrolled_at")
    list_filter = ("course", "cohort")
    search_fields = ("user__handle", "user__display_name", "user__email", "cohort__name", "course__title")
    list_select_related = ("user", "course", "cohort")
    raw_id_fields = ("user",)
    actions = ["move_to_cohort"]
    date_hierarchy = "enrolled_at"

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        cohorts = Cohort.objects.select_related("course")
        # A member moves between the cohorts of their enrolment's course.
        form.base_fields["cohort"].queryset = cohorts.filter(course_id=obj.course_id) if obj else cohorts
        return form

    def save_model(self, request, obj, form, change):
        """Through the services: enrol (one per member per course, idempotent), move_to_cohort."""
        if change:
            services.move_to_cohort(enrolments=[obj], cohort=obj.cohort)
        else:
            obj.pk = services.enrol(user=obj.user, cohort=obj.cohort)[0].pk
            obj._state.adding = False

    def delete_model(self, request, obj):
        services.unenrol(enrolments=[obj])

    def delete_queryset(self, request, queryset):
        services.unenrol(enrolments=queryset)

    def save_form(self, request, form, change):
        obj = super().save_form(request, form, change)
        if obj.cohort_id:
            obj.course_id = obj.cohort.course_id
        return obj

    def get_fields(self, request, obj=None):
        return ("user", "cohort") if obj is None else ("user", "course", "cohort")

    def get_readonly_fields(self, request, obj=None):
        return ("user", "course") if obj else ()

    @admin.action(description=_("Move to cohort…"))
    def move_to_cohort(self, request, queryset):
        """An intermediate page: choose the cohort; enrolments of other courses stay where they are."""
        if "apply" in request.POST:
            form = MoveToCohortForm(request.POST)
            if form.is_valid():
                cohort = form.cleaned_data["cohort"]
                moved = services.move_to_cohort(enrolments=list(queryset), cohort=cohort)
                skipped = queryset.exclude(course_id=cohort.course_id).count()
                values = {"count": moved, "cohort": cohort, "skipped": skipped}
                if skipped:
                    text = ngettext(
                        "Moved %(count)s to %(cohort)s (%(skipped)s of another course left alone).",
                        "Moved %(count)s to %(cohort)s (%(skipped)s of another course left alone).",
                        moved,
                    )
                else:
                    text = ngettext("Moved %(count)s to %(cohort)s.", "Moved %(count)s to %(cohort)s.", moved)
                self.message_user(request, text % values, messages.SUCCESS)
                return None
        else:
            courses = set(queryset.values_list("course_id", flat=True))
            form = MoveToCohortForm()
            form.fields["cohort"].queryset = Cohort.objects.filter(course_id__in=courses).select_related(
                "course"
            )
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Move to cohort"),
            "enrolments": queryset.select_related("user", "cohort"),
            "form": form,
            "opts": self.model._meta,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return render(request, "admin/lessons/enrolment/move_to_cohort.html", context)


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
        _publish_action("lessons", True, _("Publish selected lessons")),
        _publish_action("lessons", False, _("Unpublish selected lessons")),
    ]
    ordering = ("course", "position", "number")
    fields = ("course", "number", "title", "slug", "summary", "body", "published", "position")
    view_on_site = True

    service_fields = services.LESSON_FIELDS

    def set_published(self, obj, published: bool, by) -> None:
        services.set_lesson_published(lesson=obj, published=published, by=by)

    def create(self, fields: dict) -> Lesson:
        return services.create_lesson(**fields)  # the Markdown rendered there

    def update(self, obj, fields: dict) -> Lesson:
        return services.update_lesson(lesson=obj, **fields)

    def delete_model(self, request, obj):
        services.delete_lessons(lessons=[obj])

    def delete_queryset(self, request, queryset):
        services.delete_lessons(lessons=queryset)
