"""Tips for a viewer about their own likes and account (README, "Analytics and tips")."""

import sqlite3

from wholiked.core.answers.tips.common import Tip, names, tip
from wholiked.core.answers.wording import AUDIENCE_WHO, EXPOSED_BASIS, plural
from wholiked.core.rules import effective_anonymity, policy, who_sees
from wholiked.core.rules.policy import blocked_sql
from wholiked.core.rules.presets import SEED, Preset, When
from wholiked.core.rules.reasons import reason_wording
from wholiked.core.store.records import User

VIEWER_TIPS = (
    "like_audience",
    "creators_who_see",
    "pending_requests",
    "privacy_switch",
    "effectively_identifiable",
)
EXPOSED_CHECKED = 200
"""Rule 9 is checked for the user's latest likes, this many at most."""


def _like_audience(user: User, likes: int, followers: int, rules: Preset = SEED) -> Tip | None:
    if not likes:
        return None
    kind = who_sees.audience_kind(rules, liker_private=user.is_private, liker_is_creator=False)
    if not rules.depends_on(When.LIKER_IS_PUBLIC):
        who = AUDIENCE_WHO[kind].replace("this video", "the video")
        detail = (
            f"Under the {rules.title} rules {rules.summary}: your {plural(likes, 'like')} on"
            f" other creators' videos can be seen by {who}, whether your account is public"
            " or private."
        )
    elif user.is_private:
        detail = (
            f"Your account is private: your {plural(likes, 'like')} can be seen only by your"
            f" {plural(followers, 'approved follower')} (those of them who can view each video);"
            " a creator sees your like only if they are among them."
        )
    else:
        detail = (
            f"Your account is public: your {plural(likes, 'like')} can be seen by everyone who"
            " can view the video liked."
        )
    return tip(
        "like_audience",
        "viewer",
        "Who can see your likes",
        detail,
        {
            "likes": likes,
            "is_private": user.is_private,
            "audience": kind,
            "approved_followers": followers,
        },
    )


def _creators_who_see(conn: sqlite3.Connection, user: User, rules: Preset = SEED) -> Tip | None:
    """Creators of videos the user liked: can each identify that like (rule 3 for them)?"""
    seen = policy.identifiable_sql(
        rules, asker="x.creator_id", liker=":u", liker_private="me.is_private", creator=True
    )
    query = f"""SELECT c.handle, count(*), {seen}
        FROM likes l JOIN videos x ON x.id = l.video_id JOIN users c ON c.id = x.creator_id
            JOIN users me ON me.id = l.user_id
        WHERE l.user_id = :u AND x.creator_id <> :u
        GROUP BY x.creator_id"""
    rows = conn.execute(query, {"u": user.id}).fetchall()
    if not rows:
        return None
    see = sorted((r for r in rows if r[2]), key=lambda r: (-r[1], r[0]))
    hidden = [r for r in rows if not r[2]]
    parts = []
    if see:
        parts.append(
            f"{len(see):,} of the {plural(len(rows), 'creator')} whose videos you liked"
            f" can see your likes ({names([r[0] for r in see])})"
        )
    if hidden:
        why = (
            "your account is private and they are not your approved followers, or there is a"
            " block between you"
            if user.is_private
            else "there is a block between you"
        )
        if rules is not SEED and not rules.clauses(asker_is_creator=True):
            why = (
                reason_wording(rules.otherwise or "", rules).creator_sees
                or f"the {rules.title} rules hide likes"
            )
        parts.append(f"{len(hidden):,} cannot: {why}")
    return tip(
        "creators_who_see",
        "viewer",
        "Which creators see your likes",
        "; ".join(parts) + ".",
        {
            "creators": len(rows),
            "can_see": len(see),
            "cannot_see": len(hidden),
            "likes_seen": sum(r[1] for r in see),
            "likes_unseen": sum(r[1] for r in hidden),
        },
    )


def _pending_requests(
    conn: sqlite3.Connection, user: User, likes: int, rules: Preset = SEED
) -> Tip | None:
    if not user.is_private or not rules.depends_on(When.ASKER_FOLLOWS_LIKER):
        return None  # approving changes who sees your likes only where follows decide
    query = f"""SELECT count(*) FROM follows
        WHERE followee_id = :u AND status = 'pending' AND follower_id <> :u
          AND NOT {blocked_sql("follower_id", ":u")}"""
    pending = conn.execute(query, {"u": user.id}).fetchone()[0]
    if not pending:
        return None
    return tip(
        "pending_requests",
        "viewer",
        "Follow requests waiting for you",
        f"{plural(pending, 'follow request')} to you {'is' if pending == 1 else 'are'} pending."
        " Approving one lets that account see your likes on the videos it can view"
        f" ({plural(likes, 'like')} so far); leaving it pending does not.",
        {"pending": pending, "likes": likes},
    )


def _privacy_switch(conn: sqlite3.Connection, user: User, likes: int, followers: int) -> Tip:
    """Rule 6's audience_at_most now and after a switch, from the user's own relationships."""
    everyone = policy.user_count(conn) - 1
    now, after = (followers, everyone) if user.is_private else (everyone, followers)
    target = "public" if user.is_private else "private"
    if user.is_private:
        who = "everyone else who can view each video"
    else:
        who = f"only your {plural(followers, 'approved follower')} who can view each video"
    return tip(
        "privacy_switch",
        "viewer",
        f"If you made your account {target}",
        f"Each of your {plural(likes, 'like')} can be seen by at most {plural(now, 'user')}"
        f" now; as a {target} account, by at most {plural(after, 'user')} ({who}).",
        {
            "likes": likes,
            "audience_at_most_now": now,
            "audience_at_most_after": after,
            "switch_to": target,
        },
    )


def _exposed_likes(conn: sqlite3.Connection, user: User, rules: Preset = SEED) -> Tip | None:
    """Rule 9's warning for the user's own likes that the creator cannot identify, from the
    user's side only: those the creator may tell are the user's, whatever the creator's own
    follows and blocks (which the user cannot see) turn out to be."""
    query = f"""SELECT x.id, x.creator_id FROM likes l JOIN videos x ON x.id = l.video_id
            JOIN users c ON c.id = x.creator_id
        WHERE l.user_id = :v AND x.creator_id <> :v AND {policy.can_view_sql(rules)}
        ORDER BY l.liked_at DESC LIMIT :n"""
    exposed = []
    for video_id, creator_id in conn.execute(query, {"v": user.id, "n": EXPOSED_CHECKED}):
        reason = policy.pair_reason(
            conn, viewer_id=creator_id, liker_id=user.id, rules=rules, creator_id=creator_id
        )
        if reason in rules.visible_reasons:
            continue
        if effective_anonymity.may_be_identifiable(
            conn, liker_id=user.id, video_id=video_id, liked=True, rules=rules
        ):
            exposed.append(video_id)
    if not exposed:
        return None
    shown = ", ".join(str(v) for v in exposed[:5]) + (" and more" if len(exposed) > 5 else "")
    return tip(
        "effectively_identifiable",
        "viewer",
        "Likes the creator may tell are yours",
        f"Your likes on {plural(len(exposed), 'video')} ({shown}) are anonymous to their"
        " creators, but few accounts may be behind the anonymous likes there, so "
        + EXPOSED_BASIS.replace(
            "the creator may still tell it", "a creator may still tell such a like"
        ),
        {"videos": exposed, "checked_latest_likes": EXPOSED_CHECKED},
    )


def viewer_tips(conn: sqlite3.Connection, user: User, rules: Preset = SEED) -> list[Tip]:
    """The viewer tips that apply, in the order of VIEWER_TIPS (under the preset: a switch
    of privacy is a tip only where privacy decides who sees a like)."""
    likes = who_sees.like_count(conn, user.id)
    followers = who_sees.approved_follower_count(conn, user.id)
    switch = likes and rules.depends_on(When.LIKER_IS_PUBLIC)
    found = [
        _like_audience(user, likes, followers, rules),
        _creators_who_see(conn, user, rules),
        _pending_requests(conn, user, likes, rules),
        _privacy_switch(conn, user, likes, followers) if switch else None,
        _exposed_likes(conn, user, rules) if likes else None,
    ]
    return [t for t in found if t is not None]
