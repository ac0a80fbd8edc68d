"""What the acting user can change from the app, as calls to the service's actions.

A `Change` is built on the UI thread from what the screen shows (the selected
video, the highlighted person) and run by the app in a thread worker. Every
write is core's: one transaction per action, refused with BadInput or
NotPermitted (and nothing changed) when invalid. No Textual and no SQL here.
"""

from collections.abc import Callable
from dataclasses import dataclass

from wholiked.core.service import Outcome, Relation, User, Wholiked

Run = Callable[[Wholiked, User], Outcome]

USER_VERBS = ("follow", "unfollow", "block", "unblock")
"""Verbs the command palette offers on any account by name."""


def offered_verb(typed: str, relation: Relation) -> str | None:
    """The action on an account that can succeed, for the verb typed: 'follow @x' when you
    already follow them offers 'unfollow', 'block' when you blocked them 'unblock'; None
    when nothing of the kind can (following across a block they made)."""
    if typed in ("follow", "unfollow"):
        if relation.following is not None:
            return "unfollow"
        if relation.you_blocked:
            return "unblock"
        return None if relation.blocked_you else "follow"
    return "unblock" if relation.you_blocked else "block"


@dataclass(frozen=True)
class Change:
    """One change: what it is in words (the title of an error) and the call that makes it."""

    what: str
    run: Run


def like(video_id: int, *, liked: bool) -> Change:
    """Like the video, or take the like back when `liked` (what the screen shows)."""
    if liked:
        return Change(f"unlike video {video_id}", lambda s, u: s.unlike(u, video_id))
    return Change(f"like video {video_id}", lambda s, u: s.like(u, video_id))


def on_user(verb: str, user_id: int, what: str | None = None) -> Change:
    """An action on one account (by id): follow, block, approve, their toggles..."""
    what = what or f"{verb} that account"
    return Change(what, lambda s, u: getattr(s, verb)(u, s.user_by_id(user_id)))


def toggle_follow(user_id: int) -> Change:
    """Follow the account (a request if it is private), or unfollow it if you already do."""
    return on_user("toggle_follow", user_id, "follow or unfollow")


def toggle_block(user_id: int) -> Change:
    """Block the account, or lift your block if you already blocked it."""
    return on_user("toggle_block", user_id, "block or unblock")


def set_private(private: bool) -> Change:
    """Make the actor's account private or public (what the key says, not a blind toggle)."""
    word = "private" if private else "public"
    return Change(f"make your account {word}", lambda s, u: s.set_private(u, private))


def answer_request(user_id: int, *, approve: bool) -> Change:
    """Approve or decline a pending follow request to the actor."""
    return on_user("approve" if approve else "deny", user_id)
