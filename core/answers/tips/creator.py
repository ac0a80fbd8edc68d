"""Tips for a creator about their own videos (docs/design.md, "The seed's engagement
tips")."""

import json
import sqlite3
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from wholiked.core.answers.analytics import breakdown, daily_release, segments
from wholiked.core.answers.analytics_records import rate
from wholiked.core.answers.tips.common import Tip, caption, hour, pct, tip
from wholiked.core.answers.wording import anonymous_who, plural
from wholiked.core.release import noise
from wholiked.core.release.store import ReleaseStore
from wholiked.core.rules import creator_totals, policy
from wholiked.core.rules.presets import SEED, Preset
from wholiked.core.store.database import Database
from wholiked.core.store.format import TIMESTAMP_FORMAT
from wholiked.core.store.records import User
from wholiked.core.text import printable

TRENDING_DAYS = 7
TRENDING_TOP = 3
SCHEDULE_DAYS = 28
SCHEDULE_TOP = 3
SCHEDULE_FALSE_ALARM = 0.05
"""At most this share of days may noise alone name an hour (split over the 24 hours)."""
MIN_VIDEOS_COMPARED = 3
"""A tip that compares videos says nothing below this many on each side of the comparison
(best content: videos with views; calls to action: question captions and others). The
posting schedule's floor is the release's: the window's likers must stand clear of their
noise (more than their 90% margin) before one hour is compared with another."""
MIN_TRENDING_VIDEOS = 2
"""A sound or hashtag trends only on at least this many videos posted in the window."""
COLLABORATION_DAYS = 28
COLLABORATORS_TOP = 3
COLLABORATION_SAMPLE = 2000
"""At most this many of the creator's latest identifiable likers are looked at."""
MIN_COLLABORATION_LIKERS = 10
"""The collaboration tip compares the creator's audience with other creators': it says
nothing until the creator can identify at least this many likers in the window (so that
the k shared likers of a creator named are a part of an audience, not all of it), and
names only creators with at least k of them."""


def stamp(moment: datetime) -> str:
    return moment.strftime(TIMESTAMP_FORMAT)


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


def _own_videos(conn: sqlite3.Connection, creator_id: int) -> list[sqlite3.Row]:
    """The creator's videos with their public like totals (rule 2)."""
    query = f"""SELECT x.id, x.caption, x.views, x.posted_at, {policy.like_total_sql(conn)} AS likes
        FROM videos x WHERE x.creator_id = ? ORDER BY x.id"""
    return conn.execute(query, (creator_id,)).fetchall()


def _best_content(videos: list[sqlite3.Row]) -> Tip | None:
    rated = [v for v in videos if v["views"]]
    if len(rated) < MIN_VIDEOS_COMPARED:
        return None
    best = max(rated, key=lambda v: (v["likes"] / v["views"], v["likes"], -v["id"]))
    if not best["likes"]:
        return None
    likes, views = sum(v["likes"] for v in rated), sum(v["views"] for v in rated)
    best_rate, average = rate(best["likes"], best["views"]), rate(likes, views)
    return tip(
        "best_content",
        "creator",
        "Your best-performing video",
        f"Video {best['id']}{caption(best['caption'])} turns {pct(best_rate)} of its views"
        f" into likes ({plural(best['likes'], 'like')} on {plural(best['views'], 'view')}),"
        f" against {pct(average)} across your {len(rated):,} videos with views. Make more"
        " like it.",
        {
            "video_id": best["id"],
            "likes": best["likes"],
            "views": best["views"],
            "engagement_rate": best_rate,
            "average_engagement_rate": average,
            "videos": len(rated),
            "min_videos": MIN_VIDEOS_COMPARED,
        },
    )


def _is_question(caption: str | None) -> bool:
    return caption is not None and ("?" in caption or "\uff1f" in caption)


def _calls_to_action(videos: list[sqlite3.Row]) -> Tip | None:
    rated = [v for v in videos if v["views"]]
    asks = [v for v in rated if _is_question(v["caption"])]
    rest = [v for v in rated if not _is_question(v["caption"])]
    if min(len(asks), len(rest)) < MIN_VIDEOS_COMPARED:
        return None
    ask_rate = rate(sum(v["likes"] for v in asks), sum(v["views"] for v in asks))
    rest_rate = rate(sum(v["likes"] for v in rest), sum(v["views"] for v in rest))
    evidence = {
        "question_videos": len(asks),
        "question_engagement_rate": ask_rate,
        "other_videos": len(rest),
        "other_engagement_rate": rest_rate,
        "min_videos_each_side": MIN_VIDEOS_COMPARED,
    }
    numbers = (
        f"your {plural(len(asks), 'video')} whose caption asks a question earn"
        f" {pct(ask_rate)} likes per view, your {plural(len(rest), 'other')}"
        f" {pct(rest_rate)}"
    )
    if (ask_rate or 0) > (rest_rate or 0):
        detail = f"Questions work for you: {numbers}. Ask your viewers something."
    else:
        detail = (
            f"Questions alone do not lift your engagement: {numbers}. Try a clearer call"
            " to action (ask for a duet, a reply, a vote)."
        )
    return tip("calls_to_action", "creator", "Calls to action", detail, evidence)


def _trending(
    conn: sqlite3.Connection, user_id: int, ref: datetime, rules: Preset = SEED
) -> tuple[Tip | None, Tip | None]:
    """The public like totals (rule 2) of videos posted in the last days that the user can
    view, summed per sound and per hashtag the user has not used: visible-only, since no
    like is counted by when it was given."""
    query = f"""WITH w AS MATERIALIZED (
            SELECT x.id, x.sound, {policy.like_total_sql(conn)} AS n
            FROM videos x JOIN users c ON c.id = x.creator_id
            WHERE x.posted_at > :since AND x.posted_at <= :ref AND x.creator_id <> :v
              AND {policy.can_view_sql(rules)})
        SELECT 'sound', sound, sum(n), count(*) FROM w
        WHERE n > 0 AND sound IS NOT NULL AND sound <> ''
          AND sound NOT IN (SELECT sound FROM videos WHERE creator_id = :v AND sound IS NOT NULL)
        GROUP BY sound
        UNION ALL
        SELECT 'tag', t.tag, sum(w.n), count(*) FROM w JOIN video_hashtags t ON t.video_id = w.id
        WHERE w.n > 0 AND t.tag NOT IN (
            SELECT h.tag FROM video_hashtags h JOIN videos y ON y.id = h.video_id
            WHERE y.creator_id = :v)
        GROUP BY t.tag"""
    params = {"v": user_id, "since": stamp(ref - timedelta(days=TRENDING_DAYS)), "ref": stamp(ref)}
    found: dict[str, list[tuple[str, int, int]]] = {"sound": [], "tag": []}
    for kind, name, likes, videos in conn.execute(query, params):
        found[kind].append((name, likes, videos))
    tips: dict[str, Tip] = {}
    for kind, tip_id, word, key in (
        ("sound", "trending_sounds", "sounds", "sound"),
        ("tag", "trending_hashtags", "hashtags", "tag"),
    ):
        enough = [t for t in found[kind] if t[2] >= MIN_TRENDING_VIDEOS]
        top = sorted(enough, key=lambda t: (-t[1], t[0]))[:TRENDING_TOP]
        if not top:
            continue
        mark = "#" if kind == "tag" else ""
        listing = "; ".join(
            f"{mark}{printable(n, limit=40)} ({plural(c, 'like')} on {plural(v, 'video')})"
            for n, c, v in top
        )
        tips[tip_id] = tip(
            tip_id,
            "creator",
            f"Trending {word} you have not used",
            f"On videos posted in the last {TRENDING_DAYS} days that you can view, these have"
            f" the most likes: {listing}. You have not used {'them' if len(top) > 1 else 'it'}"
            " yet.",
            {
                "posted_within_days": TRENDING_DAYS,
                "min_videos": MIN_TRENDING_VIDEOS,
                word: [{key: n, "likes": likes, "videos": v} for n, likes, v in top],
            },
        )
    return tips.get("trending_sounds"), tips.get("trending_hashtags")


_UNANSWERED = f"""WITH
    unheard(id) AS MATERIALIZED ({policy.across_sql(":c")} UNION SELECT :c),
    asked AS MATERIALIZED (
        SELECT x.id AS video_id,
            (SELECT count(*) FROM comments m WHERE m.video_id = x.id AND m.parent_id IS NULL)
            - (SELECT count(*) FROM unheard u CROSS JOIN comments m
               WHERE m.video_id = x.id AND m.parent_id IS NULL AND m.user_id = u.id) AS n
        FROM videos x WHERE x.creator_id = :c),
    answered AS MATERIALIZED (
        SELECT m.video_id, count(*) AS n
        FROM (SELECT DISTINCT parent_id AS id FROM comments
              WHERE user_id = :c AND parent_id IS NOT NULL) r
            CROSS JOIN comments m CROSS JOIN videos x
        WHERE m.id = r.id AND x.id = m.video_id AND x.creator_id = :c
          AND m.parent_id IS NULL AND m.user_id NOT IN unheard
        GROUP BY m.video_id)
    SELECT a.video_id, a.n - coalesce(b.n, 0) AS waiting
    FROM asked a LEFT JOIN answered b ON b.video_id = a.video_id
    WHERE waiting > 0"""
"""Per video of the creator's: top-level comments by others with no block either way
(all of them, less those by the creator or across a block: a short list, each probed),
less those the creator replied to (found from the creator's own replies). Index counts
and probes only (the (video_id, parent_id, user_id) and (user_id, parent_id) indexes),
never a reply lookup for each of a popular creator's hundreds of thousands of comments."""


def _unanswered_comments(conn: sqlite3.Connection, creator_id: int) -> Tip | None:
    per_video = conn.execute(_UNANSWERED, {"c": creator_id}).fetchall()
    if not per_video:
        return None
    total = sum(n for _, n in per_video)
    top_video, top_count = min(per_video, key=lambda r: (-r[1], r[0]))
    return tip(
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
    db: Database,
    creator: User,
    videos: list[sqlite3.Row],
    threshold: int,
    store: ReleaseStore | None = None,
) -> Tip | None:
    """When the creator's likers like (the release's hour histogram of the last 28 days)
    against when the creator posts. Released, so the hours are blurred on purpose; an
    hour is named only when it stands out from the blur: its blurred count is at least
    the threshold and its noisy sum exceeds the average of the 24 hours' noisy sums
    (neither clamped nor thresholded, so the average is unbiased) by more than noise
    alone reaches with probability SCHEDULE_FALSE_ALARM / 24 (the exact law of the
    noise, `noise.tail_bound`). On a release without an hour that stands out, noise
    alone then names one on about 5% of days at any ε, not on most days, so the
    advice rests on the likers. All of it is post-processing of the release: it costs
    no privacy."""
    release = daily_release(db, creator, threshold=threshold, store=store)
    likers = release.total("likers", segments(SCHEDULE_DAYS))
    if not isinstance(likers.value, int) or likers.value <= likers.margin90:
        return None  # too few likers in the window to tell one hour from another
    hours = breakdown(release, "hour", SCHEDULE_DAYS)
    covered = segments(SCHEDULE_DAYS)
    raw = {h: release.noisy_sum("hour", covered, h) for h in hours}
    average = sum(raw.values()) / len(raw)
    bar = noise.tail_bound(release.scale_of("hour"), len(covered), SCHEDULE_FALSE_ALARM / len(raw))
    ranked = sorted(
        (h for h, r in hours.items() if isinstance(r.value, int) and raw[h] - average > bar),
        key=lambda h: (-hours[h].number, h),
    )
    top = ranked[:SCHEDULE_TOP]
    if not top:
        return None
    posted = Counter(v["posted_at"][11:13] for v in videos)
    usual, usual_count = min(posted.items(), key=lambda item: (-item[1], item[0]))
    in_top = sum(posted[h] for h in top)
    when = ", ".join(hour(h) for h in top)
    if in_top * 2 > len(videos):
        advice = "You already post mostly in those hours: keep it up."
    else:
        advice = "Try posting shortly before those hours."
    blurred = "; ".join(f"{hour(h)} ≈ {hours[h].value:,} ± {hours[h].margin90:,}" for h in top)
    return tip(
        "posting_schedule",
        "creator",
        "Post when your audience is active",
        f"In your daily release for the last {SCHEDULE_DAYS} days, your likers liked most at"
        f" {when} UTC ({blurred} likers, blurred on purpose; the average hour ≈"
        f" {max(average, 0):,.0f}); you posted {in_top:,} of your"
        f" {plural(len(videos), 'video')} in those hours, most often at {hour(usual)} UTC."
        f" {advice}",
        {
            "window_days": SCHEDULE_DAYS,
            "release_day": release.day.isoformat(),
            "top_hours": top,
            "top_hour_likers": [hours[h].as_json() for h in top],
            "average_hour_likers": round(max(average, 0), 1),
            "videos": len(videos),
            "videos_in_top_hours": in_top,
            "usual_posting_hour": usual,
            "usual_posting_hour_videos": usual_count,
            "window_likers": likers.as_json(),
        },
        released=True,
    )


def _recent_identifiable_likers(
    conn: sqlite3.Connection, creator_id: int, params: dict[str, object], rules: Preset
) -> list[int]:
    """Up to COLLABORATION_SAMPLE distinct likers the creator can identify, from the newest
    likes of the newest videos in the window: a bounded, deterministic sample, so a creator
    with a million likers costs a few index ranges."""
    identifiable = policy.identifiable_sql(rules, creator=True)
    query = f"""SELECT l.user_id FROM likes l JOIN users u ON u.id = l.user_id
        WHERE l.video_id = :x AND l.user_id <> :v
          AND l.liked_at > :since AND l.liked_at <= :ref AND {identifiable}
        ORDER BY l.liked_at DESC LIMIT :n"""
    videos = conn.execute(
        "SELECT id FROM videos WHERE creator_id = ? ORDER BY posted_at DESC, id DESC",
        (creator_id,),
    ).fetchall()
    found: dict[int, None] = {}
    for (video_id,) in videos:
        rows = conn.execute(query, {**params, "x": video_id, "n": COLLABORATION_SAMPLE})
        for (uid,) in rows:
            found.setdefault(uid)
            if len(found) == COLLABORATION_SAMPLE:
                return list(found)
    return list(found)


def shared_likers_sql(rules: Preset = SEED) -> str:
    """The creators (other than :v) whose videos, in the window, at least :k of the likers
    in :mine liked, where :v can view the video and identify the like (under TikTok's or
    X's rules only that video's creator does), the :top most shared first. A liker's likes
    in the window come from the (user_id, video_id, liked_at) index alone, never from the
    table row by row."""
    seen = policy.identifiable_sql(rules, creator="x.creator_id")
    return f"""SELECT c.handle, count(DISTINCT l.user_id) AS n
        FROM json_each(:mine) s JOIN likes l ON l.user_id = s.value
            JOIN users u ON u.id = l.user_id
            JOIN videos x ON x.id = l.video_id JOIN users c ON c.id = x.creator_id
        WHERE x.creator_id <> :v AND l.user_id <> x.creator_id
          AND l.liked_at > :since AND l.liked_at <= :ref AND {policy.can_view_sql(rules)}
          AND {seen}
        GROUP BY x.creator_id HAVING n >= :k
        ORDER BY n DESC, c.handle LIMIT :top"""


def _collaboration(
    conn: sqlite3.Connection, creator_id: int, ref: datetime, k: int, rules: Preset = SEED
) -> Tip | None:
    """Creators whose videos at least k of the likers this creator can identify also liked
    (in the last COLLABORATION_DAYS, on videos the creator can view, where the rules in
    force let the creator identify that like): visible-only, from the likes the creator
    sees by name, so an anonymous like never moves it."""
    params: dict[str, object] = {
        "v": creator_id,
        "k": k,
        "top": COLLABORATORS_TOP,
        "since": stamp(ref - timedelta(days=COLLABORATION_DAYS)),
        "ref": stamp(ref),
    }
    mine = _recent_identifiable_likers(conn, creator_id, params, rules)
    if len(mine) < MIN_COLLABORATION_LIKERS:
        return None  # too few likers to compare with anyone's audience
    query = shared_likers_sql(rules)
    top = conn.execute(query, {**params, "mine": json.dumps(mine)}).fetchall()
    if not top:
        return None
    listing = ", ".join(f"@{h} ({plural(n, 'shared liker')})" for h, n in top)
    sampled = "" if len(mine) < COLLABORATION_SAMPLE else f" (the latest {len(mine):,} of them)"
    return tip(
        "collaboration",
        "creator",
        "Creators your audience also likes",
        f"In the last {COLLABORATION_DAYS} days, likers of your videos whom you can identify"
        f"{sampled} also liked videos by {listing}. A collaboration could reach both"
        f" audiences. (Only overlaps of at least {k} likers you can identify are counted.)",
        {
            "window_days": COLLABORATION_DAYS,
            "min_shared_likers": k,
            "min_likers_considered": MIN_COLLABORATION_LIKERS,
            "likers_considered": len(mine),
            "creators": [{"handle": h, "shared_likers": n} for h, n in top],
        },
    )


def _anonymous_share(
    conn: sqlite3.Connection, creator_id: int, videos: list[Any], rules: Preset = SEED
) -> Tip | None:
    """Rule 4 summed over the creator's videos: the same anonymous counts the likers view
    shows, counted over all of them at once."""
    total = sum(v["likes"] for v in videos)
    anonymous = creator_totals.anonymous_total(conn, creator_id=creator_id, rules=rules)
    if not anonymous:
        return None
    share = rate(anonymous, total)
    if rules is SEED:
        why = (
            "from accounts you cannot identify: private accounts you are not an approved"
            " follower of, or accounts with a block between you. They count in every total and"
            " in your analytics, but never by name: private accounts chose to show their"
            " activity only to approved followers."
        )
    else:
        why = (
            f"from accounts {anonymous_who(rules, asker_is_creator=True)} (the {rules.title}"
            " rules). They count in every total and in your analytics, but never by name."
        )
    return tip(
        "anonymous_share",
        "creator",
        "Some of your likes are anonymous, by design",
        f"{anonymous:,} of your {plural(total, 'like')} ({pct(share)})"
        f" {'comes' if anonymous == 1 else 'come'} {why}",
        {"likes": total, "anonymous": anonymous, "anonymous_share": share, "videos": len(videos)},
    )


def _creator_account(videos: list[sqlite3.Row]) -> Tip:
    likes = sum(v["likes"] for v in videos)
    return tip(
        "creator_account",
        "creator",
        "Switch to a creator account for analytics",
        f"You have posted {plural(len(videos), 'video')} ({plural(likes, 'like')}). A creator"
        " account adds"
        " aggregate analytics (by age band, region, language, device and hour) and data-based"
        " tips; it never shows more names.",
        {"videos": len(videos), "likes": likes},
    )


def creator_tips(
    db: Database, user: User, k: int, rules: Preset = SEED, store: ReleaseStore | None = None
) -> list[Tip]:
    """The creator tips that apply, in the order of CREATOR_TIPS (`creator_account` for a
    personal account that posts); the posting schedule reads the release through `store`."""
    conn, ref = db.conn, db.reference_time()
    videos = _own_videos(conn, user.id)
    if not videos:
        return []
    if not user.is_creator:
        return [_creator_account(videos)]
    sounds, hashtags = _trending(conn, user.id, ref, rules)
    found = [
        _best_content(videos),
        _calls_to_action(videos),
        sounds,
        hashtags,
        _unanswered_comments(conn, user.id),
        _posting_schedule(db, user, videos, k, store),
        _collaboration(conn, user.id, ref, k, rules),
        _anonymous_share(conn, user.id, videos, rules),
    ]
    return [t for t in found if t is not None]
