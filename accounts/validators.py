from django.core.validators import RegexValidator

handle_validator = RegexValidator(
    r"^[A-Za-z0-9_]+\Z",
    "A handle may contain only letters, numbers and underscores.",
)

# allauth's ACCOUNT_USERNAME_VALIDATORS takes a dotted path to a list.
handle_validators = [handle_validator]
