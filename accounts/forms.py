from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.validators import display_name_validator, refuse_leaders_names


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form with our words: the username is the @handle, plus a display name."""

    display_name = forms.CharField(
        max_length=80,
        label=_("Display name"),
        help_text=_("How your name appears beside your posts, e.g. “Amara Osei”."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        validators=[display_name_validator],
    )

    field_order = ["display_name", "email", "username", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        handle = self.fields["username"]
        handle.label = _("Handle")
        handle.help_text = _("Letters, numbers and underscores. Others mention you as @handle.")
        # Translators: an example handle (letters, numbers and underscores only).
        handle.widget.attrs["placeholder"] = _("e.g. amara_o")
        # Password managers save the sign-in name from the field marked "username": members sign in
        # with their email, so that is the email field; the handle is a nickname (WCAG 1.3.5, 3.3.8).
        handle.widget.attrs["autocomplete"] = "nickname"
        self.fields["email"].widget.attrs["autocomplete"] = "username"
        # Translators: an example email address in the sign-up form (example.com is reserved for examples).
        self.fields["email"].widget.attrs["placeholder"] = _("you@example.com")
        self.fields["display_name"].widget.attrs["placeholder"] = _("Your name")

    def clean_display_name(self) -> str:
        name = self.cleaned_data["display_name"]
        refuse_leaders_names(name)
        return name


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "bio", "time_zone", "language"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4, "maxlength": 500})}
        labels = {"language": _("Language")}
        help_texts = {
            "time_zone": _("Times on the site are shown in this zone."),
            "language": _("The language of the site and of your emails."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["display_name"].validators.append(display_name_validator)
        # Blank follows the browser: say so rather than show "---------".
        self.fields["language"].choices = [("", _("Your browser’s language")), *settings.LANGUAGES]

    def save(self, commit: bool = True) -> User:
        if "time_zone" in self.changed_data:
            self.instance.time_zone_set = True  # the member's own choice: the browser no longer sets it
        return super().save(commit=commit)

    def clean_display_name(self) -> str:
        name = self.cleaned_data["display_name"]
        if self.instance.pk and name == self.instance.display_name:
            return name  # one's own name, as it was
        refuse_leaders_names(name, exclude_pk=self.instance.pk)
        return name


class DeleteAccountForm(forms.Form):
    """Deleting an account: what happens to the posts, the password, and a deliberate tick."""

    KEEP = "keep"
    REMOVE = "remove"

    posts = forms.ChoiceField(
        label=_("What should happen to your posts?"),
        choices=[
            (KEEP, _("Keep my posts, shown as “Former member”")),
            (REMOVE, _("Remove my posts too")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what should happen to your posts.")},
    )
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("To make sure it is really you."),
        error_messages={"required": _("Enter your password.")},
    )
    confirm = forms.BooleanField(
        label=_("I understand that deleting my account cannot be undone."),
        error_messages={"required": _("Tick the box to confirm that you want to delete your account.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That password is not right. Enter the password you sign in with."))
        return password

    @property
    def remove_posts(self) -> bool:
        return self.cleaned_data["posts"] == self.REMOVE
