"""Who may see and review which story: UFD staff and leaders see their organisation's stories;
the author never approves their own. Public pages read `services.public_stories`."""

from django.shortcuts import get_object_or_404

from orgs.models import Role
from publicity.models import Story, StoryPhoto


def get_story_for_user(request, pk: int) -> Story:
    return get_object_or_404(
        Story.objects.for_org(request.organisation).select_related("author", "reviewed_by", "item__plan"), pk=pk
    )


def get_photo(story: Story, pk: int) -> StoryPhoto:
    """A photo of `story` (already checked by one of the functions above or the public lookup)."""
    return get_object_or_404(StoryPhoto, pk=pk, story=story)


def can_review(story: Story, user, role: str) -> bool:
    """A leader, or a UFD user who is not the author."""
    return role == Role.LEADER or (role == Role.UFD_STAFF and story.author_id != user.pk)
