"""What the acting user can change: likes, follows, requests, blocks, privacy.

Each action is one transaction; an invalid action is refused with BadInput (or
NotPermitted when the policy forbids it) and changes nothing. Every action
returns a sentence saying what changed for whom, computed from the policy.
"""

import sqlite3
from dataclasses import dataclass

from wholiked.core.errors import BadInput, NotPermitted
from wholiked.core.rules import policy
from wholiked.core.service import User, Wholiked
from wholiked.core.store.format import TIMESTAMP_FORMAT


def _count(n: int, noun: str) -> str:
    """'1 video', '2 videos'."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


@dataclass(frozen=True, slots=True)
class Outcome:
    """The result of an action: a sentence for the user."""

    message: str


def _stamp(service: Wholiked) -> str:
    return service.reference_time().strftime(TIMESTAMP_FORMAT)


def _follow_status(conn: sqlite3.Connection, follower: int, followee: int) -> str | None:
    row = conn.execute(
        "SELECT status FROM follows WHERE follower_id = ? AND followee_id = ?",
        (follower, followee),
    ).fetchone()
    return row[0] if row else None


def _blocked(conn: sqlite3.Connection, a: int, b: int) -> bool:
    query = f"SELECT {policy.blocked_sql(':a', ':b')}"
    return bool(conn.execute(query, {"a": a, "b": b}).fetchone()[0])


def _likes_visible_to(conn: sqlite3.Connection, liker: int, viewer: int) -> int:
    """How many of the liker's likes the viewer can identify (videos they can view)."""
    query = f"""SELECT count(*) FROM likes l JOIN users u ON u.id = l.user_id
        JOIN videos x ON x.id = l.video_id JOIN users c ON c.id = x.creator_id
        WHERE l.user_id = :l AND {policy.CAN_VIEW_SQL} AND {policy.IDENTIFIABLE_SQL}"""
    return conn.execute(query, {"l": liker, "v": viewer}).fetchone()[0]


def _other(service: Wholiked, actor: User, handle: str) -> User:
    other = service.user(handle)
    if other.id == actor.id:
        raise BadInput("you cannot do that to yourself")
    return other


def like(service: Wholiked, actor: User, video_id: int) -> Outcome:
    """Like a video the actor can view."""
    with service.db.transaction() as conn:
        video = service.video(video_id)
        if not policy.can_view(conn, actor.id, video.id):
            raise NotPermitted(f"@{actor.handle} cannot view video {video.id}")
        if policy.has_liked(conn, actor.id, video.id):
            raise BadInput(f"@{actor.handle} already likes video {video.id}")
        conn.execute(
            "INSERT INTO likes (video_id, user_id, liked_at) VALUES (?, ?, ?)",
            (video.id, actor.id, _stamp(service)),
        )
        seen_by = policy.audience_count(conn, actor.id, video.id)
    return Outcome(f"You liked video {video.id}; {_count(seen_by, 'user')} can see this like")


def unlike(service: Wholiked, actor: User, video_id: int) -> Outcome:
    """Remove the actor's like."""
    with service.db.transaction() as conn:
        video = service.video(video_id)
        if not policy.has_liked(conn, actor.id, video.id):
            raise BadInput(f"@{actor.handle} has not liked video {video.id}")
        conn.execute("DELETE FROM likes WHERE video_id = ? AND user_id = ?", (video.id, actor.id))
    return Outcome(f"You no longer like video {video.id}")


def follow(service: Wholiked, actor: User, handle: str) -> Outcome:
    """Follow a user: approved at once for a public account, a pending request for a private one."""
    with service.db.transaction() as conn:
        other = _other(service, actor, handle)
        if _blocked(conn, actor.id, other.id):
            raise NotPermitted(f"there is a block between you and @{other.handle}")
        if status := _follow_status(conn, actor.id, other.id):
            raise BadInput(f"you already follow @{other.handle} ({status})")
        status = "pending" if other.is_private else "approved"
        conn.execute(
            "INSERT INTO follows (follower_id, followee_id, status, created_at)"
            " VALUES (?, ?, ?, ?)",
            (actor.id, other.id, status, _stamp(service)),
        )
    if status == "pending":
        return Outcome(f"Follow request sent to @{other.handle} (pending until they approve)")
    return Outcome(f"You now follow @{other.handle}")


def unfollow(service: Wholiked, actor: User, handle: str) -> Outcome:
    """Stop following a user, or withdraw a pending request."""
    with service.db.transaction() as conn:
        other = _other(service, actor, handle)
        if _follow_status(conn, actor.id, other.id) is None:
            raise BadInput(f"you do not follow @{other.handle}")
        before = _likes_visible_to(conn, other.id, actor.id)
        conn.execute(
            "DELETE FROM follows WHERE follower_id = ? AND followee_id = ?", (actor.id, other.id)
        )
        lost = before - _likes_visible_to(conn, other.id, actor.id)
    extra = f"; you can no longer see their likes on {_count(lost, 'video')}" if lost else ""
    return Outcome(f"You no longer follow @{other.handle}{extra}")


def toggle_follow(service: Wholiked, actor: User, handle: str) -> Outcome:
    """Unfollow (or withdraw the request) when the actor follows the user, else follow."""
    other = _other(service, actor, handle)
    if _follow_status(service.db.conn, actor.id, other.id) is None:
        return follow(service, actor, handle)
    return unfollow(service, actor, handle)


def _answer_request(service: Wholiked, actor: User, handle: str, approve: bool) -> Outcome:
    with service.db.transaction() as conn:
        other = _other(service, actor, handle)
        if _follow_status(conn, other.id, actor.id) != "pending":
            raise BadInput(f"there is no pending follow request from @{other.handle}")
        if not approve:
            conn.execute(
                "DELETE FROM follows WHERE follower_id = ? AND followee_id = ?",
                (other.id, actor.id),
            )
            return Outcome(f"You declined @{other.handle}'s follow request")
        before = _likes_visible_to(conn, actor.id, other.id)
        conn.execute(
            "UPDATE follows SET status = 'approved' WHERE follower_id = ? AND followee_id = ?",
            (other.id, actor.id),
        )
        gained = _likes_visible_to(conn, actor.id, other.id) - before
    if not gained:
        return Outcome(f"@{other.handle} now follows you (no more of your likes became visible)")
    return Outcome(f"@{other.handle} can now see your like on {_count(gained, 'video')}")


def approve(service: Wholiked, actor: User, handle: str) -> Outcome:
    """Approve a pending follow request to the actor (reveals the actor's likes to them)."""
    return _answer_request(service, actor, handle, approve=True)


def deny(service: Wholiked, actor: User, handle: str) -> Outcome:
    """Decline a pending follow request to the actor."""
    return _answer_request(service, actor, handle, approve=False)


def block(service: Wholiked, actor: User, handle: str) -> Outcome:
    """Block a user; follows between the two are removed, as on the platform."""
    with service.db.transaction() as conn:
        other = _other(service, actor, handle)
        exists = conn.execute(
            "SELECT 1 FROM blocks WHERE blocker_id = ? AND blocked_id = ?", (actor.id, other.id)
        ).fetchone()
        if exists:
            raise BadInput(f"you have already blocked @{other.handle}")
        conn.execute(
            "INSERT INTO blocks (blocker_id, blocked_id, created_at) VALUES (?, ?, ?)",
            (actor.id, other.id, _stamp(service)),
        )
        conn.execute(
            "DELETE FROM follows WHERE (follower_id = :a AND followee_id = :b)"
            " OR (follower_id = :b AND followee_id = :a)",
            {"a": actor.id, "b": other.id},
        )
    return Outcome(
        f"You blocked @{other.handle}: neither of you can see the other's videos or likes"
    )


def unblock(service: Wholiked, actor: User, handle: str) -> Outcome:
    """Lift the actor's block of a user (follows removed by the block stay removed)."""
    with service.db.transaction() as conn:
        other = _other(service, actor, handle)
        gone = conn.execute(
            "DELETE FROM blocks WHERE blocker_id = ? AND blocked_id = ?", (actor.id, other.id)
        ).rowcount
        if not gone:
            raise BadInput(f"you have not blocked @{other.handle}")
    return Outcome(f"You unblocked @{other.handle}")


def toggle_block(service: Wholiked, actor: User, handle: str) -> Outcome:
    """Lift the actor's block of the user if there is one, else block them."""
    other = _other(service, actor, handle)
    query = "SELECT 1 FROM blocks WHERE blocker_id = ? AND blocked_id = ?"
    if service.db.conn.execute(query, (actor.id, other.id)).fetchone() is None:
        return block(service, actor, handle)
    return unblock(service, actor, handle)


def set_private(service: Wholiked, actor: User, private: bool) -> Outcome:
    """Make the actor's account private or public.

    Going public approves every pending request to the actor (the platform's
    behaviour): a public account has no requests to answer.
    """
    with service.db.transaction() as conn:
        current = service.user_by_id(actor.id)
        if current.is_private == private:
            raise BadInput(f"@{actor.handle} is already {'private' if private else 'public'}")
        conn.execute("UPDATE users SET is_private = ? WHERE id = ?", (int(private), actor.id))
        approved = 0
        if not private:
            approved = conn.execute(
                "UPDATE follows SET status = 'approved'"
                " WHERE followee_id = ? AND status = 'pending'",
                (actor.id,),
            ).rowcount
        followers = conn.execute(
            "SELECT count(*) FROM follows WHERE followee_id = ? AND status = 'approved'",
            (actor.id,),
        ).fetchone()[0]
    if private:
        return Outcome(
            f"Your account is private: only your {_count(followers, 'approved follower')}"
            " can identify your likes"
        )
    extra = f"; {_count(approved, 'pending request')} approved" if approved else ""
    return Outcome(f"Your account is public: everyone who can view a video sees your like{extra}")
