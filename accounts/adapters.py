from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib.auth.models import Group

from accounts import roles


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return getattr(settings, "SIGNUP_OPEN", True)

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.display_name = form.cleaned_data.get("display_name") or user.handle
        if commit:
            user.save()
            # Every new sign-up starts as a Learner; staff promote people in the admin.
            user.groups.add(Group.objects.get_or_create(name=roles.LEARNER)[0])
        return user
