"""Engagement tips computed from the data, each citing the numbers it rests on (DESIGN.md).

`tips(service, user, k=5)` returns what `wholiked tips --json` prints: a list of
`{"id", "perspective", "title", "detail", "evidence"}` in a fixed order, each tip only
when it applies. Ids, in order:

creator perspective (creator accounts with at least one video):
  best_content, calls_to_action, trending_sounds, trending_hashtags,
  unanswered_comments, posting_schedule, collaboration, anonymous_share
  (a personal account with videos gets `creator_account` instead: analytics and
  these tips are for creator accounts)
viewer perspective (every user):
  like_audience, creators_who_see, pending_requests, privacy_switch

Privacy: a tip never names or singles out an account the policy hides from the user.
Counts over other people (followers' active hours, shared likers) are aggregates of at
least k distinct accounts and follow the analytics rules (nothing when 0 < anonymous
< k); platform-wide figures (trending) count only videos the user can view, whose
like totals they see anyway (rule 2). Only creators are named, and only where the
user can see them: creators of videos the user liked, and creators whose videos the
user can view (collaboration). `detail` may quote a caption (cleaned of control
characters by `core.text.printable`, but still untrusted: show it as plain text).
"""

import sqlite3
from collections import Counter
from datetime import datetime, timedelta

from wholiked.core.answers.analytics import (
    Scope,
    check_k,
    liker_stats,
    rate,
    stamp,
    withheld_reason,
)
from wholiked.core.rules import policy
from wholiked.core.rules.policy import approved_sql, audience_size, blocked_sql
from wholiked.core.service import User, Wholiked
from wholiked.core.text import printable

TRENDING_DAYS = 7
TRENDING_TOP = 3
SCHEDULE_DAYS = 28
SCHEDULE_TOP = 3
COLLABORATION_DAYS = 28
COLLABORATORS_TOP = 3
NAMES_SHOWN = 3

CREATOR_TIPS = (
    "best_content",
    "calls_to_action",
    "trending_sounds",
    "trending_hashtags",
    "unanswered_comments",
    "posting_schedule",
    "collaboration",
    "anonymous_share",
)
VIEWER_TIPS = ("like_audience", "creators_who_see", "pending_requests", "privacy_switch")
TIP_IDS = (*CREATOR_TIPS, "creator_account", *VIEWER_TIPS)


def _tip(tip_id: str, perspective: str, title: str, detail: str, evidence: dict) -> dict:
    return {
        "id": tip_id,
        "perspective": perspective,
        "title": title,
        "detail": detail,
        "evidence": evidence,
    }


def plural(count: int, one: str, many: str | None = None) -> str:
    """'1 like', '2 likes', '1,234 likes'."""
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def _hour(h: str) -> str:
    return f"{h}:00"


def _names(handles: list[str]) -> str:
    shown = [f"@{h}" for h in handles[:NAMES_SHOWN]]
    more = len(handles) - len(shown)
    return ", ".join(shown) + (f" and {more:,} more" if more > 0 else "")


def _caption(caption: str | None) -> str:
    text = printable(caption, limit=40)
    return f" ({text!r})" if text else ""


# --- creator tips -------------------------------------------------------------------------


def _own_videos(conn: sqlite3.Connection, creator_id: int) -> list[sqlite3.Row]:
    query = """SELECT x.id, x.caption, x.views, x.posted_at,
            (SELECT count(*) FROM likes l WHERE l.video_id = x.id) AS likes
        FROM videos x WHERE x.creator_id = ? ORDER BY x.id"""
    return conn.execute(query, (creator_id,)).fetchall()


def _best_content(videos: list[sqlite3.Row]) -> dict | None:
    rated = [v for v in videos if v["views"]]
    if len(rated) < 2:
        return None
    best = max(rated, key=lambda v: (v["likes"] / v["views"], v["likes"], -v["id"]))
    if not best["likes"]:
        return None
    likes, views = sum(v["likes"] for v in rated), sum(v["views"] for v in rated)
    best_rate, average = rate(best["likes"], best["views"]), rate(likes, views)
    return _tip(
        "best_content",
        "creator",
        "Your best-performing video",
        f"Video {best['id']}{_caption(best['caption'])} turns {_pct(best_rate)} of its views"
        f" into likes ({plural(best['likes'], 'like')} on {plural(best['views'], 'view')}),"
        f" against {_pct(average)} across your {len(rated):,} videos with views. Make more"
        " like it.",
        {
            "video_id": best["id"],
            "likes": best["likes"],
            "views": best["views"],
            "engagement_rate": best_rate,
            "average_engagement_rate": average,
            "videos": len(rated),
        },
    )


def _is_question(caption: str | None) -> bool:
    return bool(caption) and ("?" in caption or "\uff1f" in caption)


def _calls_to_action(videos: list[sqlite3.Row]) -> dict | None:
    rated = [v for v in videos if v["views"]]
    asks = [v for v in rated if _is_question(v["caption"])]
    rest = [v for v in rated if not _is_question(v["caption"])]
    if not asks or not rest:
        return None
    ask_rate = rate(sum(v["likes"] for v in asks), sum(v["views"] for v in asks))
    rest_rate = rate(sum(v["likes"] for v in rest), sum(v["views"] for v in rest))
    evidence = {
        "question_videos": len(asks),
        "question_engagement_rate": ask_rate,
        "other_videos": len(rest),
        "other_engagement_rate": rest_rate,
    }
    numbers = (
        f"your {plural(len(asks), 'video')} whose caption asks a question earn"
        f" {_pct(ask_rate)} likes per view, your {plural(len(rest), 'other')}"
        f" {_pct(rest_rate)}"
    )
    if (ask_rate or 0) > (rest_rate or 0):
        detail = f"Questions work for you: {numbers}. Ask your viewers something."
    else:
        detail = (
            f"Questions alone do not lift your engagement: {numbers}. Try a clearer call"
            " to action (ask for a duet, a reply, a vote)."
        )
    return _tip("calls_to_action", "creator", "Calls to action", detail, evidence)


def _trending(conn: sqlite3.Connection, user_id: int, ref: datetime) -> tuple[dict, dict]:
    """Likes in the last days per sound and per hashtag the user has not used.

    Counts only videos the user can view (rule 1), so no like total the user cannot see
    goes into a figure.
    """
    query = f"""WITH w AS MATERIALIZED (
            SELECT id, sound, n FROM (
                SELECT x.id, x.sound, (SELECT count(*) FROM likes l WHERE l.video_id = x.id
                    AND l.liked_at > :since AND l.liked_at <= :ref) AS n
                FROM videos x JOIN users c ON c.id = x.creator_id
                WHERE {policy.CAN_VIEW_SQL})
            WHERE n > 0)
        SELECT 'sound', sound, sum(n), count(*) FROM w
        WHERE sound IS NOT NULL AND sound <> ''
          AND sound NOT IN (SELECT sound FROM videos WHERE creator_id = :v AND sound IS NOT NULL)
        GROUP BY sound
        UNION ALL
        SELECT 'tag', t.tag, sum(w.n), count(*) FROM w JOIN video_hashtags t ON t.video_id = w.id
        WHERE t.tag NOT IN (SELECT h.tag FROM video_hashtags h JOIN videos y ON y.id = h.video_id
                            WHERE y.creator_id = :v)
        GROUP BY t.tag"""
    params = {"v": user_id, "since": stamp(ref - timedelta(days=TRENDING_DAYS)), "ref": stamp(ref)}
    found: dict[str, list[tuple[str, int, int]]] = {"sound": [], "tag": []}
    for kind, name, likes, videos in conn.execute(query, params):
        found[kind].append((name, likes, videos))
    tips = {}
    for kind, tip_id, word, key in (
        ("sound", "trending_sounds", "sounds", "sound"),
        ("tag", "trending_hashtags", "hashtags", "tag"),
    ):
        top = sorted(found[kind], key=lambda t: (-t[1], t[0]))[:TRENDING_TOP]
        if not top:
            continue
        mark = "#" if kind == "tag" else ""
        listing = "; ".join(
            f"{mark}{printable(n, limit=40)} ({plural(c, 'like')})" for n, c, _ in top
        )
        tips[tip_id] = _tip(
            tip_id,
            "creator",
            f"Trending {word} you have not used",
            f"Most liked in the last {TRENDING_DAYS} days, on videos you can view: {listing}."
            f" You have not used {'them' if len(top) > 1 else 'it'} yet.",
            {
                "window_days": TRENDING_DAYS,
                word: [{key: n, "likes": likes, "videos": v} for n, likes, v in top],
            },
        )
    return tips.get("trending_sounds"), tips.get("trending_hashtags")


def _unanswered_comments(conn: sqlite3.Connection, creator_id: int) -> dict | None:
    query = f"""SELECT m.video_id, count(*) FROM comments m JOIN videos x ON x.id = m.video_id
        WHERE x.creator_id = :c AND m.parent_id IS NULL AND m.user_id <> :c
          AND NOT {blocked_sql(":c", "m.user_id")}
          AND NOT EXISTS (SELECT 1 FROM comments r WHERE r.parent_id = m.id AND r.user_id = :c)
        GROUP BY m.video_id"""
    per_video = conn.execute(query, {"c": creator_id}).fetchall()
    if not per_video:
        return None
    total = sum(n for _, n in per_video)
    top_video, top_count = min(per_video, key=lambda r: (-r[1], r[0]))
    return _tip(
        "unanswered_comments",
        "creator",
        "Comments waiting for your reply",
        f"{plural(total, 'comment')} by others on {plural(len(per_video), 'video')} of yours"
        f" {'has' if total == 1 else 'have'} no reply from you (most on video {top_video}:"
        f" {top_count:,}). Replying keeps the conversation going.",
        {
            "unanswered": total,
            "videos": len(per_video),
            "top_video_id": top_video,
            "top_video_unanswered": top_count,
        },
    )


def _posting_schedule(
    conn: sqlite3.Connection, creator_id: int, videos: list[sqlite3.Row], ref: datetime, k: int
) -> dict | None:
    """When followers like the creator's videos (distinct followers per UTC hour) vs when
    the creator posts. Same protections as an analytics breakdown: nothing when fewer than
    k follower likers or 0 < anonymous < k; only hours with at least k followers."""
    scope = Scope(
        creator_id,
        None,
        stamp(ref - timedelta(days=SCHEDULE_DAYS)),
        stamp(ref),
        followers_only=True,
    )
    stats = liker_stats(conn, scope)
    if withheld_reason(stats, k) is not None:
        return None
    hours = stats.buckets["hour"]
    top = sorted((h for h in hours if hours[h] >= k), key=lambda h: (-hours[h], h))[:SCHEDULE_TOP]
    if not top:
        return None
    posted = Counter(v["posted_at"][11:13] for v in videos)
    usual, usual_count = min(posted.items(), key=lambda item: (-item[1], item[0]))
    in_top = sum(posted[h] for h in top)
    when = ", ".join(_hour(h) for h in top)
    if in_top * 2 > len(videos):
        advice = "You already post mostly in those hours: keep it up."
    else:
        advice = "Try posting shortly before those hours."
    return _tip(
        "posting_schedule",
        "creator",
        "Post when your followers are active",
        f"Your followers like your videos most at {when} UTC ({plural(stats.likers, 'follower')}"
        f" liked in the last {SCHEDULE_DAYS} days); you posted {in_top:,} of your"
        f" {plural(len(videos), 'video')} in those hours, most often at {_hour(usual)} UTC."
        f" {advice}",
        {
            "window_days": SCHEDULE_DAYS,
            "follower_likers": stats.likers,
            "top_hours": top,
            "top_hour_likers": [hours[h] for h in top],
            "videos": len(videos),
            "videos_in_top_hours": in_top,
            "usual_posting_hour": usual,
            "usual_posting_hour_videos": usual_count,
        },
    )


def _collaboration(conn: sqlite3.Connection, creator_id: int, ref: datetime, k: int) -> dict | None:
    """Creators the user can view whose recent likers overlap with theirs by >= k accounts.

    Both audiences are the distinct accounts (other than the two creators) that liked in
    the last COLLABORATION_DAYS: the recent likes of every other video (an index range
    each) are probed against the creator's recent likers, never each liker's history.
    Only the count is reported, never the shared likers; a creator is left out when
    0 < (shared likers anonymous to the user) < k, for the same reason as analytics.
    """
    recent = "{t}.liked_at > :since AND {t}.liked_at <= :ref"
    mine = f"""EXISTS (SELECT 1 FROM likes m JOIN videos mx ON mx.id = m.video_id
        WHERE m.user_id = {{u}} AND mx.creator_id = :c AND {recent.format(t="m")})"""
    query = f"""WITH mine AS MATERIALIZED (
            SELECT DISTINCT l.user_id AS uid FROM videos x JOIN likes l ON l.video_id = x.id
            WHERE x.creator_id = :c AND l.user_id <> :c AND {recent.format(t="l")}),
        shared AS MATERIALIZED (
            SELECT y.creator_id AS d, l.user_id AS uid
            FROM videos y JOIN likes l ON l.video_id = y.id
            WHERE y.creator_id <> :c AND l.user_id <> y.creator_id AND {recent.format(t="l")}
              AND +l.user_id IN (SELECT uid FROM mine)
            GROUP BY 1, 2)
        SELECT o.d, dd.handle, o.n, o.private FROM (
                SELECT s.d, count(*) AS n, sum(u.is_private) AS private
                FROM shared s JOIN users u ON u.id = s.uid
                GROUP BY s.d HAVING count(*) >= :k) o
            JOIN users dd ON dd.id = o.d
        WHERE NOT {blocked_sql(":c", "o.d")}
          AND (dd.is_private = 0 OR {approved_sql(":c", "o.d")})"""
    since = stamp(ref - timedelta(days=COLLABORATION_DAYS))
    params = {"c": creator_id, "k": k, "since": since, "ref": stamp(ref)}
    candidates = conn.execute(query, params).fetchall()
    if not candidates:
        return None
    # Anonymous shared likers per creator: private - followed private + visible across a block.
    theirs = f"""EXISTS (SELECT 1 FROM likes t JOIN videos tx ON tx.id = t.video_id
        WHERE t.user_id = {{u}} AND tx.creator_id = :d AND {recent.format(t="t")})"""
    followed = f"""SELECT count(*) FROM follows f JOIN users u ON u.id = f.followee_id
        WHERE f.follower_id = :c AND f.status = 'approved' AND f.followee_id NOT IN (:c, :d)
          AND u.is_private = 1 AND {mine.format(u="f.followee_id")}
          AND {theirs.format(u="f.followee_id")}"""
    across = f"""SELECT count(*) FROM (
            SELECT blocked_id AS id FROM blocks WHERE blocker_id = :c
            UNION SELECT blocker_id FROM blocks WHERE blocked_id = :c) b
        JOIN users u ON u.id = b.id
        WHERE b.id NOT IN (:c, :d) AND (u.is_private = 0 OR {approved_sql(":c", "b.id")})
          AND {mine.format(u="b.id")} AND {theirs.format(u="b.id")}"""
    top = []
    for d, handle, shared, private in sorted(candidates, key=lambda c: (-c[2], c[1])):
        p = {**params, "d": d}
        less = conn.execute(followed, p).fetchone()[0]
        anonymous = private - less + conn.execute(across, p).fetchone()[0]
        if not 0 < anonymous < k:
            top.append((handle, shared))
            if len(top) == COLLABORATORS_TOP:
                break
    if not top:
        return None
    listing = ", ".join(f"@{h} ({plural(n, 'shared liker')})" for h, n in top)
    return _tip(
        "collaboration",
        "creator",
        "Creators your audience also likes",
        f"In the last {COLLABORATION_DAYS} days, accounts that liked your videos also liked"
        f" videos by {listing}. A collaboration could reach both audiences. (Only overlaps"
        f" of at least {k} accounts are counted, and never who they are.)",
        {
            "window_days": COLLABORATION_DAYS,
            "min_shared_likers": k,
            "creators": [{"handle": h, "shared_likers": n} for h, n in top],
        },
    )


def _anonymous_share(conn: sqlite3.Connection, creator_id: int, videos: list) -> dict | None:
    """Rule 4 summed over the creator's videos: the same anonymous counts the likers view shows."""
    total = sum(v["likes"] for v in videos)
    anonymous = sum(policy.anonymous_count(conn, creator_id, v["id"]) for v in videos if v["likes"])
    if not anonymous:
        return None
    share = rate(anonymous, total)
    return _tip(
        "anonymous_share",
        "creator",
        "Some of your likes are anonymous, by design",
        f"{anonymous:,} of your {plural(total, 'like')} ({_pct(share)})"
        f" {'comes' if anonymous == 1 else 'come'} from accounts you cannot identify: private"
        " accounts you are not an approved follower of, or accounts with a block between you."
        " They count in every total and in your analytics, but never by name: private"
        " accounts chose to show their activity only to approved followers.",
        {"likes": total, "anonymous": anonymous, "anonymous_share": share, "videos": len(videos)},
    )


def _creator_account(videos: list[sqlite3.Row]) -> dict:
    likes = sum(v["likes"] for v in videos)
    return _tip(
        "creator_account",
        "creator",
        "Switch to a creator account for analytics",
        f"You have posted {plural(len(videos), 'video')} ({plural(likes, 'like')}). A creator"
        " account adds"
        " aggregate analytics (by age band, region, language, device and hour) and data-based"
        " tips; it never shows more names.",
        {"videos": len(videos), "likes": likes},
    )


# --- viewer tips --------------------------------------------------------------------------


def _like_count(conn: sqlite3.Connection, user_id: int) -> int:
    return conn.execute("SELECT count(*) FROM likes WHERE user_id = ?", (user_id,)).fetchone()[0]


def _approved_followers(conn: sqlite3.Connection, user_id: int) -> int:
    query = """SELECT count(*) FROM follows
        WHERE followee_id = ? AND status = 'approved' AND follower_id <> followee_id"""
    return conn.execute(query, (user_id,)).fetchone()[0]


def _like_audience(user: User, likes: int, followers: int) -> dict | None:
    if not likes:
        return None
    if user.is_private:
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
    return _tip(
        "like_audience",
        "viewer",
        "Who can see your likes",
        detail,
        {
            "likes": likes,
            "is_private": user.is_private,
            "audience": "approved_followers" if user.is_private else "everyone",
            "approved_followers": followers,
        },
    )


def _creators_who_see(conn: sqlite3.Connection, user: User) -> dict | None:
    """Creators of videos the user liked: can each identify that like (rule 3 for them)?"""
    query = f"""SELECT c.handle, count(*),
            NOT {blocked_sql("x.creator_id", ":u")}
            AND (me.is_private = 0 OR {approved_sql("x.creator_id", ":u")})
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
            f" can see your likes ({_names([r[0] for r in see])})"
        )
    if hidden:
        why = (
            "your account is private and they are not your approved followers, or there is a"
            " block between you"
            if user.is_private
            else "there is a block between you"
        )
        parts.append(f"{len(hidden):,} cannot: {why}")
    return _tip(
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


def _pending_requests(conn: sqlite3.Connection, user: User, likes: int) -> dict | None:
    if not user.is_private:
        return None
    query = f"""SELECT count(*) FROM follows
        WHERE followee_id = :u AND status = 'pending' AND follower_id <> :u
          AND NOT {blocked_sql("follower_id", ":u")}"""
    pending = conn.execute(query, {"u": user.id}).fetchone()[0]
    if not pending:
        return None
    return _tip(
        "pending_requests",
        "viewer",
        "Follow requests waiting for you",
        f"{plural(pending, 'follow request')} to you {'is' if pending == 1 else 'are'} pending."
        " Approving one lets that account see your likes on the videos it can view"
        f" ({plural(likes, 'like')} so far); leaving it pending does not.",
        {"pending": pending, "likes": likes},
    )


def like_audiences(conn: sqlite3.Connection, user_id: int, *, switched: bool) -> int:
    """The sum over the user's likes of each like's audience size, now or with the user's
    account switched public<->private (their own videos switch with them)."""
    me = conn.execute("SELECT is_private FROM users WHERE id = ?", (user_id,)).fetchone()[0]
    private = bool(me) != switched
    query = """SELECT x.creator_id, c.is_private, count(*)
        FROM likes l JOIN videos x ON x.id = l.video_id JOIN users c ON c.id = x.creator_id
        WHERE l.user_id = ? GROUP BY x.creator_id"""
    users = conn.execute("SELECT count(*) FROM users").fetchone()[0]
    total = 0
    for creator_id, creator_private, likes in conn.execute(query, (user_id,)).fetchall():
        cpriv = private if creator_id == user_id else bool(creator_private)
        total += likes * audience_size(conn, user_id, private, creator_id, cpriv, users)
    return total


def _privacy_switch(conn: sqlite3.Connection, user: User, likes: int, followers: int) -> dict:
    now = like_audiences(conn, user.id, switched=False)
    after = like_audiences(conn, user.id, switched=True)
    target = "public" if user.is_private else "private"
    if user.is_private:
        who = "by everyone who can view each video"
    else:
        who = f"only by your {plural(followers, 'approved follower')} who can view each video"
    return _tip(
        "privacy_switch",
        "viewer",
        f"If you made your account {target}",
        f"Counting each of your {plural(likes, 'like')} once per user who can see it, they are"
        f" seen {now:,} times now; as a {target} account they would be seen {after:,} times"
        f" ({after - now:+,}), {who}.",
        {"likes": likes, "audience_now": now, "audience_after": after, "switch_to": target},
    )


# --- the entry point ----------------------------------------------------------------------


def tips(service: Wholiked, user: User, *, k: int = 5) -> list[dict]:
    """Every tip that applies to the user, creator tips first, in the order of TIP_IDS."""
    k = check_k(k)
    found: list[dict | None] = []
    with service.db.snapshot() as conn:
        user = service.user_by_id(user.id)  # current privacy and account type
        ref = service.reference_time()
        videos = _own_videos(conn, user.id)
        if videos and user.is_creator:
            sounds, hashtags = _trending(conn, user.id, ref)
            found += [
                _best_content(videos),
                _calls_to_action(videos),
                sounds,
                hashtags,
                _unanswered_comments(conn, user.id),
                _posting_schedule(conn, user.id, videos, ref, k),
                _collaboration(conn, user.id, ref, k),
                _anonymous_share(conn, user.id, videos),
            ]
        elif videos:
            found.append(_creator_account(videos))
        likes = _like_count(conn, user.id)
        followers = _approved_followers(conn, user.id)
        found += [
            _like_audience(user, likes, followers),
            _creators_who_see(conn, user),
            _pending_requests(conn, user, likes),
            _privacy_switch(conn, user, likes, followers) if likes else None,
        ]
    return [t for t in found if t is not None]
