"""What the acting user can change: likes, follows, requests, blocks, privacy.

Each action is one write transaction that reads the state it depends on inside
it, so a toggle decides on what it changes. An invalid action is refused with
BadInput (or NotPermitted when the rules forbid it) and changes nothing; an action
already in effect (a second like, follow or block) changes nothing and says so, as
`mkdir -p` does. Every action returns a sentence saying what changed for whom,
computed from the rules, and the new state of what it acted on.
"""

import sqlite3
from dataclasses import dataclass
from typing import Any, cast

from wholiked.core.answers.wording import plural
from wholiked.core.errors import BadInput, NotPermitted
from wholiked.core.rules import policy, who_sees
from wholiked.core.rules.presets import SEED, Preset, When
from wholiked.core.store.database import Database
from wholiked.core.store.format import TIMESTAMP_FORMAT
from wholiked.core.store.records import User, user_by_id, video_by_id


@dataclass(frozen=True, slots=True)
class Outcome:
    """The result of an action: a sentence for the user, whether anything changed, and the
    new state of what the action is about (a like, a follow, a block or an account), as
    the CLI's JSON gives it."""

    message: str
    changed: bool = True
    state: dict[str, Any] | None = None


def _unchanged(message: str, state: dict[str, Any]) -> Outcome:
    return Outcome(f"Nothing changed: {message}", changed=False, state=state)


def _like_state(actor: User, video_id: int, liked_at: str | None) -> dict[str, Any]:
    return {
        "like": {"video_id": video_id, "user": actor.handle, "liked": liked_at is not None}
        | ({"liked_at": liked_at} if liked_at else {})
    }


def _follow_state(follower: User, followee: User, status: str | None) -> dict[str, Any]:
    return {"follow": {"follower": follower.handle, "followee": followee.handle, "status": status}}


def _block_state(blocker: User, blocked: User, blocking: bool) -> dict[str, Any]:
    return {"block": {"blocker": blocker.handle, "blocked": blocked.handle, "in_effect": blocking}}


def _liked_at(conn: sqlite3.Connection, *, user_id: int, video_id: int) -> str | None:
    row = conn.execute(
        "SELECT liked_at FROM likes WHERE video_id = ? AND user_id = ?", (video_id, user_id)
    ).fetchone()
    return None if row is None else cast(str, row[0])


def _stamp(db: Database) -> str:
    return db.reference_time().strftime(TIMESTAMP_FORMAT)


def _follow_status(conn: sqlite3.Connection, *, follower: int, followee: int) -> str | None:
    row = conn.execute(
        "SELECT status FROM follows WHERE follower_id = ? AND followee_id = ?",
        (follower, followee),
    ).fetchone()
    return row[0] if row else None


def _has_blocked(conn: sqlite3.Connection, *, blocker: int, blocked: int) -> bool:
    query = "SELECT 1 FROM blocks WHERE blocker_id = ? AND blocked_id = ?"
    return conn.execute(query, (blocker, blocked)).fetchone() is not None


def _likes_visible_to(
    conn: sqlite3.Connection, *, liker: int, viewer: int, rules: Preset = SEED
) -> int:
    """How many of the liker's likes the viewer can identify (videos they can view)."""
    seen = policy.identifiable_sql(rules, creator="x.creator_id")
    query = f"""SELECT count(*) FROM likes l JOIN users u ON u.id = l.user_id
        JOIN videos x ON x.id = l.video_id JOIN users c ON c.id = x.creator_id
        WHERE l.user_id = :l AND {policy.can_view_sql(rules)} AND {seen}"""
    return cast(int, conn.execute(query, {"l": liker, "v": viewer}).fetchone()[0])


def _other(db: Database, actor: User, other: User) -> User:
    """The other party as the file has them now; never the actor."""
    if other.id == actor.id:
        raise BadInput("you cannot do that to yourself")
    return user_by_id(db, other.id)


def like(db: Database, actor: User, video_id: int, *, rules: Preset = SEED) -> Outcome:
    """Like a video the actor can view."""
    with db.transaction() as conn:
        video = video_by_id(db, video_id)
        if not policy.can_view(conn, viewer_id=actor.id, video_id=video.id, rules=rules):
            raise NotPermitted(f"@{actor.handle} cannot view video {video.id}")
        if (at := _liked_at(conn, user_id=actor.id, video_id=video.id)) is not None:
            return _unchanged(
                f"@{actor.handle} already likes video {video.id}", _like_state(actor, video.id, at)
            )
        at = _stamp(db)
        conn.execute(
            "INSERT INTO likes (video_id, user_id, liked_at) VALUES (?, ?, ?)",
            (video.id, actor.id, at),
        )
        seen_by = who_sees.audience_at_most(
            conn, actor.id, rules=rules, creator_id=video.creator_id
        )
    return Outcome(
        f"You liked video {video.id}; at most {plural(seen_by, 'user')} can see this like",
        state=_like_state(actor, video.id, at),
    )


def unlike(db: Database, actor: User, video_id: int) -> Outcome:
    """Remove the actor's like."""
    with db.transaction() as conn:
        video = video_by_id(db, video_id)
        state = _like_state(actor, video.id, None)
        if not policy.has_liked(conn, user_id=actor.id, video_id=video.id):
            return _unchanged(f"@{actor.handle} does not like video {video.id}", state)
        conn.execute("DELETE FROM likes WHERE video_id = ? AND user_id = ?", (video.id, actor.id))
    return Outcome(f"You no longer like video {video.id}", state=state)


def _follow(conn: sqlite3.Connection, db: Database, actor: User, other: User) -> Outcome:
    if policy.is_blocked(conn, a=actor.id, b=other.id):
        raise NotPermitted(f"there is a block between you and @{other.handle}")
    if status := _follow_status(conn, follower=actor.id, followee=other.id):
        what = "your request to" if status == "pending" else "you already follow"
        return _unchanged(
            f"{what} @{other.handle} {'is pending' if status == 'pending' else ''}".strip(),
            _follow_state(actor, other, status),
        )
    status = "pending" if other.is_private else "approved"
    conn.execute(
        "INSERT INTO follows (follower_id, followee_id, status, created_at) VALUES (?, ?, ?, ?)",
        (actor.id, other.id, status, _stamp(db)),
    )
    state = _follow_state(actor, other, status)
    if status == "pending":
        return Outcome(
            f"Follow request sent to @{other.handle} (pending until they approve)", state=state
        )
    return Outcome(f"You now follow @{other.handle}", state=state)


def _unfollow(conn: sqlite3.Connection, actor: User, other: User, rules: Preset) -> Outcome:
    state = _follow_state(actor, other, None)
    if _follow_status(conn, follower=actor.id, followee=other.id) is None:
        return _unchanged(f"you do not follow @{other.handle}", state)
    before = _likes_visible_to(conn, liker=other.id, viewer=actor.id, rules=rules)
    conn.execute(
        "DELETE FROM follows WHERE follower_id = ? AND followee_id = ?", (actor.id, other.id)
    )
    lost = before - _likes_visible_to(conn, liker=other.id, viewer=actor.id, rules=rules)
    extra = f"; you can no longer see their likes on {plural(lost, 'video')}" if lost else ""
    return Outcome(f"You no longer follow @{other.handle}{extra}", state=state)


def follow(db: Database, actor: User, other: User) -> Outcome:
    """Follow a user: approved at once for a public account, a pending request for a private one."""
    with db.transaction() as conn:
        return _follow(conn, db, actor, _other(db, actor, other))


def unfollow(db: Database, actor: User, other: User, *, rules: Preset = SEED) -> Outcome:
    """Stop following a user, or withdraw a pending request."""
    with db.transaction() as conn:
        return _unfollow(conn, actor, _other(db, actor, other), rules)


def toggle_follow(db: Database, actor: User, other: User, *, rules: Preset = SEED) -> Outcome:
    """Unfollow (or withdraw the request) when the actor follows the user, else follow."""
    with db.transaction() as conn:
        other = _other(db, actor, other)
        if _follow_status(conn, follower=actor.id, followee=other.id) is None:
            return _follow(conn, db, actor, other)
        return _unfollow(conn, actor, other, rules)


def _answer_request(
    db: Database, actor: User, other: User, approve: bool, rules: Preset
) -> Outcome:
    with db.transaction() as conn:
        other = _other(db, actor, other)
        status = _follow_status(conn, follower=other.id, followee=actor.id)
        if approve and status == "approved":
            return _unchanged(
                f"@{other.handle} already follows you", _follow_state(other, actor, status)
            )
        if status != "pending":
            raise BadInput(f"there is no pending follow request from @{other.handle}")
        if not approve:
            conn.execute(
                "DELETE FROM follows WHERE follower_id = ? AND followee_id = ?",
                (other.id, actor.id),
            )
            return Outcome(
                f"You declined @{other.handle}'s follow request",
                state=_follow_state(other, actor, None),
            )
        # Counted from the actor's side only: which videos the requester can view is theirs.
        before = who_sees.likes_identifiable_if_viewed(
            conn, liker_id=actor.id, asker_id=other.id, rules=rules
        )
        conn.execute(
            "UPDATE follows SET status = 'approved' WHERE follower_id = ? AND followee_id = ?",
            (other.id, actor.id),
        )
        gained = who_sees.likes_identifiable_if_viewed(
            conn, liker_id=actor.id, asker_id=other.id, rules=rules
        )
        gained -= before
    state = _follow_state(other, actor, "approved")
    if not gained:
        return Outcome(
            f"@{other.handle} now follows you (no more of your likes became visible)", state=state
        )
    return Outcome(
        f"@{other.handle} can now see your likes on the videos they can view:"
        f" at most {plural(gained, 'like')}",
        state=state,
    )


def approve(db: Database, actor: User, other: User, *, rules: Preset = SEED) -> Outcome:
    """Approve a pending follow request to the actor (reveals the actor's likes to them)."""
    return _answer_request(db, actor, other, approve=True, rules=rules)


def deny(db: Database, actor: User, other: User) -> Outcome:
    """Decline a pending follow request to the actor."""
    return _answer_request(db, actor, other, approve=False, rules=SEED)


def _block(conn: sqlite3.Connection, db: Database, actor: User, other: User) -> Outcome:
    if _has_blocked(conn, blocker=actor.id, blocked=other.id):
        return _unchanged(
            f"you have already blocked @{other.handle}", _block_state(actor, other, True)
        )
    conn.execute(
        "INSERT INTO blocks (blocker_id, blocked_id, created_at) VALUES (?, ?, ?)",
        (actor.id, other.id, _stamp(db)),
    )
    conn.execute(
        "DELETE FROM follows WHERE (follower_id = :a AND followee_id = :b)"
        " OR (follower_id = :b AND followee_id = :a)",
        {"a": actor.id, "b": other.id},
    )
    return Outcome(
        f"You blocked @{other.handle}: neither of you can see the other's videos or likes",
        state=_block_state(actor, other, True),
    )


def _unblock(conn: sqlite3.Connection, actor: User, other: User) -> Outcome:
    gone = conn.execute(
        "DELETE FROM blocks WHERE blocker_id = ? AND blocked_id = ?", (actor.id, other.id)
    ).rowcount
    state = _block_state(actor, other, False)
    if not gone:
        return _unchanged(f"you have not blocked @{other.handle}", state)
    return Outcome(f"You unblocked @{other.handle}", state=state)


def block(db: Database, actor: User, other: User) -> Outcome:
    """Block a user; follows between the two are removed, as on the platform."""
    with db.transaction() as conn:
        return _block(conn, db, actor, _other(db, actor, other))


def unblock(db: Database, actor: User, other: User) -> Outcome:
    """Lift the actor's block of a user (follows removed by the block stay removed)."""
    with db.transaction() as conn:
        return _unblock(conn, actor, _other(db, actor, other))


def toggle_block(db: Database, actor: User, other: User) -> Outcome:
    """Lift the actor's block of the user if there is one, else block them."""
    with db.transaction() as conn:
        other = _other(db, actor, other)
        if _has_blocked(conn, blocker=actor.id, blocked=other.id):
            return _unblock(conn, actor, other)
        return _block(conn, db, actor, other)


def set_private(db: Database, actor: User, private: bool, *, rules: Preset = SEED) -> Outcome:
    """Make the actor's account private or public.

    Going public approves every pending request to the actor (the platform's
    behaviour): a public account has no requests to answer.
    """
    with db.transaction() as conn:
        current = user_by_id(db, actor.id)
        account = {"account": {"handle": actor.handle, "is_private": private}}
        if current.is_private == private:
            word = "private" if private else "public"
            return _unchanged(f"@{actor.handle} is already {word}", account)
        conn.execute("UPDATE users SET is_private = ? WHERE id = ?", (int(private), actor.id))
        approved = 0
        if not private:
            approved = conn.execute(
                "UPDATE follows SET status = 'approved'"
                " WHERE followee_id = ? AND status = 'pending'",
                (actor.id,),
            ).rowcount
        followers = who_sees.approved_follower_count(conn, actor.id)
    account["account"]["approved_requests"] = approved
    if not rules.depends_on(When.LIKER_IS_PUBLIC):
        state = "private" if private else "public"
        extra = f"; {plural(approved, 'pending request')} approved" if approved else ""
        return Outcome(
            f"Your account is {state}{extra}; under the {rules.title} rules that does not"
            f" change who sees your likes ({rules.summary})",
            state=account,
        )
    if private:
        return Outcome(
            f"Your account is private: only your {plural(followers, 'approved follower')}"
            " can identify your likes",
            state=account,
        )
    extra = f"; {plural(approved, 'pending request')} approved" if approved else ""
    return Outcome(
        f"Your account is public: everyone who can view a video sees your like{extra}",
        state=account,
    )
