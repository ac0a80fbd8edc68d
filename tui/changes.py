"""What the acting user can change from the app, as calls to `core.actions`.

A `Change` is built on the UI thread from what the screen shows (the selected
video, the highlighted person) and run by the app in a thread worker. Every
write is core's: one transaction per action, refused with BadInput or
NotPermitted (and nothing changed) when invalid. No Textual and no SQL here.
"""

from collections.abc import Callable
from dataclasses import dataclass

from core import actions
from core.actions import Outcome
from core.errors import BadInput
from core.service import User, Wholiked

Run = Callable[[Wholiked, User], Outcome]

USER_VERBS = ("follow", "unfollow", "block", "unblock")
"""Verbs the command palette offers on any account by name."""


@dataclass(frozen=True)
class Change:
    """One change: what it is in words (the title of an error) and the call that makes it."""

    what: str
    run: Run


def like(video_id: int, *, liked: bool) -> Change:
    """Like the video, or take the like back when `liked` (what the screen shows)."""
    if liked:
        return Change(f"unlike video {video_id}", lambda s, u: actions.unlike(s, u, video_id))
    return Change(f"like video {video_id}", lambda s, u: actions.like(s, u, video_id))


def _handle(service: Wholiked, user_id: int) -> str:
    return service.user_by_id(user_id).handle


def on_user(verb: str, user_id: int) -> Change:
    """follow, unfollow, block, unblock, approve or deny one account (by id)."""
    action = getattr(actions, verb)
    return Change(f"{verb} that account", lambda s, u: action(s, u, _handle(s, user_id)))


def _toggle(do: str, undo: str, already: str, user_id: int) -> Run:
    """Do the action; when core says it is already done, undo it instead.

    The service does not tell the app whether the actor follows or blocks an
    account, so the toggle asks core to do it and falls back on the inverse;
    the refused attempt changes nothing (one transaction each).
    """

    def run(service: Wholiked, actor: User) -> Outcome:
        handle = _handle(service, user_id)
        try:
            return getattr(actions, do)(service, actor, handle)
        except BadInput as exc:
            if not str(exc).startswith(already):
                raise
        return getattr(actions, undo)(service, actor, handle)

    return run


def toggle_follow(user_id: int) -> Change:
    """Follow the account (a request if it is private), or unfollow it if you already do."""
    run = _toggle("follow", "unfollow", "you already follow", user_id)
    return Change("follow or unfollow", run)


def toggle_block(user_id: int) -> Change:
    """Block the account, or lift your block if you already blocked it."""
    return Change(
        "block or unblock", _toggle("block", "unblock", "you have already blocked", user_id)
    )


def set_private(private: bool) -> Change:
    """Make the actor's account private or public (what the key says, not a blind toggle)."""
    word = "private" if private else "public"
    return Change(f"make your account {word}", lambda s, u: actions.set_private(s, u, private))


def answer_request(user_id: int, *, approve: bool) -> Change:
    """Approve or decline a pending follow request to the actor."""
    return on_user("approve" if approve else "deny", user_id)
