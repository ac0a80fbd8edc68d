"""Rule 4 over all of a creator's videos at once, the creator asking: what the creator
tips sum, counted over every like of theirs in a few queries instead of a round per video
(a creator with hundreds of videos is the common case)."""

import sqlite3

from wholiked.core.rules import policy
from wholiked.core.rules.presets import SEED, Preset, When


def anonymous_total(conn: sqlite3.Connection, *, creator_id: int, rules: Preset = SEED) -> int:
    """The sum of `policy.anonymous_count` over the creator's videos with the creator as
    the viewer: every like, less the creator's own, less those a clause identifies (each
    counted once per like, as each video counts them)."""
    if rules.depends_on(When.ASKER_IS_CREATOR):
        clauses = rules.clauses(asker_is_creator=True)
    else:
        clauses = rules.clauses()
    likes, _ = policy.creator_like_counts(conn, creator_id)
    own = conn.execute(
        """SELECT count(*) FROM likes l JOIN videos x ON x.id = l.video_id
        WHERE l.user_id = :c AND x.creator_id = :c""",
        {"c": creator_id},
    ).fetchone()[0]
    identified = policy.first_clause_counts(
        conn, clauses, viewer_id=creator_id, video_id=None, creator_id=creator_id
    )
    return int(likes - own - sum(identified.values()))
