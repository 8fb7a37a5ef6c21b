"""The registry through which content apps add to a member's own data (accounts.member_data)."""

import pytest

from accounts import member_data
from accounts.services import delete_account, export_data, export_markdown

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry():
    """Put the registry back as the apps' ready() left it."""
    saved = [dict(store) for store in _stores()]
    yield
    for store, copy in zip(_stores(), saved, strict=True):
        store.clear()
        store.update(copy)


def _stores():
    return member_data._export_parts, member_data._deletion_handlers, member_data._summary_counts


def test_installed_apps_register_their_parts_in_installed_apps_order():
    assert [part.name for part in member_data.export_parts()] == ["community", "moderation", "followthrough"]
    sections = [name for part in member_data.export_parts() for name in part.sections]
    assert sections == ["reflections", "prompts", "likes", "drafts", "reports", "follow_up_plans"]


def test_json_keys_keep_their_order(user):
    assert list(export_data(user)) == [
        "format",
        "version",
        "exported_at",
        "profile",
        "reflections",
        "prompts",
        "likes",
        "drafts",
        "reports",
        "follow_up_plans",
    ]


def test_a_new_app_adds_its_data_without_editing_accounts(registry, user):
    calls = []
    member_data.register_export_part(
        member_data.ExportPart(
            name="badges",
            sections=("badges",),
            export=lambda member: {"badges": [f"first post by {member.handle}"]},
            markdown=lambda data: ["## Badges", "", *[f"- {badge}" for badge in data["badges"]], ""],
            describe=lambda counts: [("Your badges", f" ({counts['badges']})")],
        )
    )
    member_data.register_deletion_handler("badges", lambda member, remove_posts: calls.append(remove_posts))
    member_data.register_summary_counts("badges", lambda member: {"badges": 1})

    data = export_data(user)
    assert data["badges"] == ["first post by amara"]
    assert export_markdown(data).endswith("## Badges\n\n- first post by amara\n")
    assert member_data.summary_counts(user) == {"posts": 0, "answered": 0, "badges": 1}
    delete_account(user=user, remove_posts=True)
    assert calls == [True]


def test_two_apps_cannot_claim_one_section(registry):
    part = member_data.ExportPart(name="other", sections=("likes",), export=dict, markdown=list)
    with pytest.raises(ValueError, match="already 'community'"):
        member_data.register_export_part(part)


def test_registering_again_replaces_in_place(registry):
    (community, moderation, followthrough) = member_data.export_parts()
    member_data.register_export_part(community)
    assert member_data.export_parts() == [community, moderation, followthrough]
