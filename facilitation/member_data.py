"""What facilitation does with a member's rows when they delete their account
(``accounts.member_data``): the posts offered to them go to a colleague at the next re-offer (their
offers' windows end now), and their prompt library goes. Summaries stay, like the activities they
close (the author is anonymised with the account)."""

from django.utils import timezone

from accounts import member_data
from facilitation.models import LibraryPrompt, ResponseOffer


def delete_account_content(user, remove_posts: bool) -> None:
    ResponseOffer.objects.filter(offered_to_id=user.pk, state=ResponseOffer.State.OPEN).update(
        expires_at=timezone.now()
    )
    LibraryPrompt.objects.filter(owner_id=user.pk).delete()


def register() -> None:
    member_data.register_deletion_handler("facilitation", delete_account_content)
