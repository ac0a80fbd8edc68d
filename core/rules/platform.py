"""The platform report's rules, set-wise: every video's audit as its creator (rules 7 and 9)
for a whole world at once, under any rule set, in SQL.

The audit of one video X as its creator C needs, for each liker L, only a few facts about
the pair (C, L): is L the creator, is a block between them, is L public, does C
approved-follow L, does L approved-follow C. Rule 9's candidates need the same facts for
C and every user. So the world is reduced once to **flag tables**: per video, how many of
its likers have each combination of flags; per creator, how many users do. Most pairs
have no relationship at all and differ only by privacy: they are counted from the like
totals (the counters, or one grouped scan) minus the few pairs with a relationship, which
are found from the creators' own follow and block lists (and, when a rule asks whether
the liker follows the creator, from the likes, each probed on the follows key: linear in
the likes), each relationship a row of flags folded per pair. Each rule set then is one query
over the flags with its clauses compiled by `clauses.creator_sees_flags_sql`, the same
clauses every other answer compiles. The report's queries over every video's audit
(`groups_sql`, `top_sql`) are plain SQL that SQLite and Spark SQL both read.

An engine whose cost is per step, not per row (Spark: every step its jobs and stages),
builds the same audits in one query instead (`joined_wide_sql`): the same flags and the
same compiled clauses, each like joined to its pair's relationship. A property test holds
the two ways equal.
"""

from collections.abc import Callable
from typing import Any

from wholiked.core.rules.clauses import creator_sees_flags_sql
from wholiked.core.rules.effective_anonymity import ANONYMITY_K
from wholiked.core.rules.presets import Preset, When

Progress = Callable[[str, int, int], None]
"""(step, done, of): called between the steps of a long computation."""

SIZE_BUCKETS = (
    ("0", 0, 0),
    ("1-99", 1, 99),
    ("100-999", 100, 999),
    ("1000-9999", 1_000, 9_999),
    ("10000+", 10_000, None),
)
"""Creator size: the public like total of the creator's videos (creators with no like yet
are "0", so the buckets add up to the whole)."""

LIKES_BY_USER = "wholiked_likes_user"
"""wholiked's index of likes by (user_id, video_id, ...) (`store.schema`), when the file has
it (an older version's has no liked_at: either serves)."""


def needs_liker_follows(rule_sets: list[Preset]) -> bool:
    """Whether a rule set asks whether the liker follows the creator (beyond rule 9's
    population of a private creator, which always does)."""
    return any(r.depends_on(When.LIKER_FOLLOWS_ASKER) for r in rule_sets)


def _size_bucket_sql(column: str) -> str:
    parts = []
    for name, low, high in SIZE_BUCKETS:
        condition = f"{column} >= {low}" + (f" AND {column} <= {high}" if high is not None else "")
        parts.append(f"WHEN {condition} THEN '{name}'")
    return "CASE " + " ".join(parts) + " END"


def wide_sql(rule_sets: list[Preset]) -> str:
    """Every video's audit as its creator under every rule set at once, one row per video,
    over the flag tables (one pass over each, whatever the number of rule sets):
    `identifiable_<i>` the likes the creator identifies under rule set i, `candidates_<i>`
    rule 9's candidates for the creator under it.

    - r_videos (video_id, creator_id, likes)
    - r_creators (creator_id, handle, creator_private, size_likes)
    - r_like_flags (video_id, is_self, blocked, liker_public, asker_follows, liker_follows, n)
    - r_people_flags (creator_id, is_self, blocked, liker_public, asker_follows,
      liker_follows, n): the users other than the creator, by flags

    Rule 9 for the creator: candidates are the users other than the creator who can view
    the video (the creator is public, or they approved-follow the creator) or are across a
    block with the creator, and are not identifiable to the creator.
    """
    sees = [creator_sees_flags_sql(rules) for rules in rule_sets]
    seen = ", ".join(
        f"SUM(CASE WHEN {s} THEN n ELSE 0 END) AS identifiable_{i}" for i, s in enumerate(sees)
    )
    audience = "(pc.creator_private = 0 OR f.blocked = 1 OR f.liker_follows = 1)"
    found = ", ".join(
        f"SUM(CASE WHEN {audience} AND NOT {s} THEN f.n ELSE 0 END) AS candidates_{i}"
        for i, s in enumerate(sees)
    )
    columns = ", ".join(
        f"coalesce(i.identifiable_{n}, 0) AS identifiable_{n},"
        f" coalesce(p.candidates_{n}, 0) AS candidates_{n}"
        for n in range(len(rule_sets))
    )
    return f"""SELECT v.video_id, v.creator_id, c.handle, c.creator_private,
            {_size_bucket_sql("c.size_likes")} AS size_bucket, v.likes, {columns}
        FROM r_videos v
        JOIN r_creators c ON c.creator_id = v.creator_id
        LEFT JOIN (SELECT video_id, {seen} FROM r_like_flags GROUP BY video_id) i
            ON i.video_id = v.video_id
        LEFT JOIN (
            SELECT f.creator_id, {found}
            FROM r_people_flags f JOIN r_creators pc ON pc.creator_id = f.creator_id
            GROUP BY f.creator_id) p ON p.creator_id = v.creator_id"""


def _judged_all_sql(count: int) -> str:
    """Every rule set's audit rows, from r_wide, tagged with the rule set's position (`rs`)."""
    return " UNION ALL ".join(
        f"""SELECT {i} AS rs, video_id, creator_id, handle, creator_private, size_bucket,
            likes, identifiable_{i} AS identifiable, likes - identifiable_{i} AS anonymous,
            candidates_{i} AS candidates FROM r_wide"""
        for i in range(count)
    )


def exposed_sql(
    k: int = ANONYMITY_K, anonymous: str = "anonymous", candidates: str = "candidates"
) -> str:
    """Rule 9's verdict over a judged row (as `effective_anonymity.effectively_identifiable`)."""
    return f"({anonymous} > 0 AND ({candidates} < {int(k)} OR {anonymous} >= {candidates}))"


def groups_sql(rule_sets: list[Preset], k: int = ANONYMITY_K) -> str:
    """The sums by creator size and privacy under every rule set at once (a few rows, one
    pass over r_wide): size_bucket, creator_private, videos, likes, then for each rule set
    identifiable, anonymous, effectively identifiable likes and videos (`split_groups`)."""
    sums = []
    for i in range(len(rule_sets)):
        anonymous = f"(likes - identifiable_{i})"
        exposed = exposed_sql(k, anonymous, f"candidates_{i}")
        sums += [
            f"SUM(identifiable_{i})",
            f"SUM({anonymous})",
            f"SUM(CASE WHEN {exposed} THEN {anonymous} ELSE 0 END)",
            f"SUM(CASE WHEN {exposed} THEN 1 ELSE 0 END)",
        ]
    return f"""SELECT size_bucket, creator_private, COUNT(*) AS videos, SUM(likes) AS likes,
            {", ".join(sums)}
        FROM r_wide GROUP BY size_bucket, creator_private"""


def split_groups(row: tuple[Any, ...], count: int) -> list[tuple[Any, ...]]:
    """A row of `groups_sql` as one row per rule set: (size_bucket, creator_private, videos,
    likes, identifiable, anonymous, exposed likes, exposed videos)."""
    head, shared, rest = row[:2], row[2:4], row[4:]
    return [(*head, *shared, *rest[4 * i : 4 * i + 4]) for i in range(count)]


def top_sql(rule_sets: list[Preset], limit: int, k: int = ANONYMITY_K) -> str:
    """Each rule set's videos with the most effectively identifiable likes (at most `limit`
    per rule set, `rs` its position), in one query."""
    return f"""SELECT rs, video_id, creator_id, handle, likes, identifiable, anonymous,
            candidates FROM (
            SELECT j.*, ROW_NUMBER() OVER (
                PARTITION BY rs ORDER BY anonymous DESC, video_id) AS place
            FROM ({_judged_all_sql(len(rule_sets))}) j WHERE {exposed_sql(k)}) ranked
        WHERE place <= {int(limit)} ORDER BY rs, place"""


# --- the flag tables, from the format's tables: one definition for every engine -------------


def _pairs_sql(all_followers: bool) -> str:
    """(video, creator c, liker u, the relationship's flags) for every like of u <> c with a
    relationship to c: c approved-follows u, a block either way, or (when a rule asks) u
    approved-follows c; a pair with several relationships has a row for each.

    A creator's own follow and block lists are short: those pairs are driven from them,
    a likes key probed for each of the creator's videos. A creator's followers are not
    (a big creator has hundreds of thousands, times hundreds of videos): those pairs are
    driven from the likes, each probed on the follows key, which is linear in the likes
    (the order pinned with CROSS JOIN, which SQLite keeps as written and Spark SQL joins
    as an inner join on its condition)."""
    parts = [
        f"""SELECT x.id AS video_id, x.creator_id AS c, {u} AS u, {flags} FROM videos x
        JOIN {join}
        JOIN likes l ON l.video_id = x.id AND l.user_id = {u}
        WHERE {u} <> x.creator_id"""
        for join, u, flags in ((j.format(c="x.creator_id"), u, f) for j, u, f in _OWN_LISTS)
    ]
    if all_followers:
        parts.append(
            f"""SELECT x.id AS video_id, x.creator_id AS c, l.user_id AS u, {_FOLLOWER}
        FROM videos x
        CROSS JOIN likes l ON l.video_id = x.id
        CROSS JOIN follows r ON r.followee_id = x.creator_id AND r.status = 'approved'
            AND r.follower_id = l.user_id
        WHERE l.user_id <> x.creator_id"""
        )
    return " UNION ALL ".join(parts)


_FOLLOWED = "1 AS asker_follows, 0 AS blocked, 0 AS liker_follows"
_BLOCKED = "0 AS asker_follows, 1 AS blocked, 0 AS liker_follows"
_FOLLOWER = "0 AS asker_follows, 0 AS blocked, 1 AS liker_follows"
_OWN_LISTS = (
    ("follows r ON r.follower_id = {c} AND r.status = 'approved'", "r.followee_id", _FOLLOWED),
    ("blocks r ON r.blocker_id = {c}", "r.blocked_id", _BLOCKED),
    ("blocks r ON r.blocked_id = {c}", "r.blocker_id", _BLOCKED),
)
"""A creator's relationships found from the creator's side: whom the creator follows
(approved), blocks, or is blocked by ({c}: the creator's id)."""


def _people_sql(all_followers: bool) -> str:
    """(creator c, user u, the relationship's flags) for every user u <> c with a
    relationship to c that rule 9 needs: c approved-follows u, a block either way, u
    approved-follows c (always for a private creator: they are the creator's audience).
    Driven from the creators."""
    followers = "" if all_followers else " AND k.creator_private = 1"
    parts = [
        f"""SELECT k.creator_id AS c, {u} AS u, {flags} FROM r_creators k
        JOIN {join} WHERE {u} <> k.creator_id"""
        for join, u, flags in ((j.format(c="k.creator_id"), u, f) for j, u, f in _OWN_LISTS)
    ]
    parts.append(
        f"""SELECT k.creator_id AS c, r.follower_id AS u, {_FOLLOWER} FROM r_creators k
        JOIN follows r ON r.followee_id = k.creator_id AND r.status = 'approved'
        WHERE r.follower_id <> k.creator_id{followers}"""
    )
    return " UNION ALL ".join(parts)


def _flags_sql(pairs: str, key: str, alias: str, users_join: str) -> str:
    """Each pair's flags (its relationships' rows folded, the liker's privacy joined on the
    users key), counted by combination. `liker_follows` is exact wherever it is read: for
    every pair when a rule set asks, else for a private creator's audience (a public
    creator's is everyone, and no clause reads it)."""
    public = "CASE WHEN u.is_private = 1 THEN 0 ELSE 1 END"
    return f"""SELECT q.{key} AS {alias}, 0 AS is_self, q.blocked, {public} AS liker_public,
            q.asker_follows, q.liker_follows, COUNT(*) AS n
        FROM (SELECT {key}, u, MAX(asker_follows) AS asker_follows, MAX(blocked) AS blocked,
                MAX(liker_follows) AS liker_follows
            FROM {pairs} GROUP BY {key}, u) q
        {users_join} users u ON u.id = q.u
        GROUP BY q.{key}, q.blocked, {public}, q.asker_follows, q.liker_follows"""


SIDES = "(SELECT 1 AS public UNION ALL SELECT 0 AS public)"

GENERIC_COUNTS = """SELECT l.video_id, COUNT(*) AS likes,
        SUM(CASE WHEN u.is_private = 1 THEN 1 ELSE 0 END) AS private_likes
    FROM likes l LEFT JOIN users u ON u.id = l.user_id GROUP BY l.video_id"""
"""(video_id, likes, private_likes): every video's like total and its private likes."""

GENERIC_POPULATION = """SELECT COUNT(*) AS users,
        SUM(CASE WHEN is_private = 1 THEN 1 ELSE 0 END) AS private_users FROM users"""
"""(users, private_users): the population of rule 9."""


def flag_steps(
    rule_sets: list[Preset], *, counts: str = GENERIC_COUNTS, population: str = GENERIC_POPULATION
) -> list[tuple[str, str]]:
    """The tables to build, in order, as (name, SELECT): every engine materialises each in
    turn (SQLite as a temp table, Spark as a cached view) and then runs the report's
    queries over r_videos, r_creators, r_like_flags and r_people_flags. `counts` and
    `population` let an engine read the totals its own faster way."""
    all_followers = needs_liker_follows(rule_sets)
    return [
        ("r_counts", counts),
        ("r_population", population),
        (
            "r_videos",
            """SELECT x.id AS video_id, x.creator_id, c.is_private AS creator_private,
                coalesce(t.likes, 0) AS likes, coalesce(t.private_likes, 0) AS private_likes,
                CASE WHEN s.user_id IS NULL THEN 0 ELSE 1 END AS self_liked
            FROM videos x JOIN users c ON c.id = x.creator_id
            LEFT JOIN r_counts t ON t.video_id = x.id
            LEFT JOIN likes s ON s.video_id = x.id AND s.user_id = x.creator_id""",
        ),
        (
            "r_creators",
            """SELECT v.creator_id, c.handle, c.is_private AS creator_private,
                SUM(v.likes) AS size_likes
            FROM r_videos v JOIN users c ON c.id = v.creator_id
            GROUP BY v.creator_id, c.handle, c.is_private""",
        ),
        ("r_pairs", _pairs_sql(all_followers)),
        # The likers with a relationship, then the creator's own like.
        (
            "r_like_known",
            _flags_sql("r_pairs", "video_id", "video_id", "LEFT JOIN")
            + """
            UNION ALL SELECT video_id, 1, 0, 1 - creator_private, 0, 0, 1
            FROM r_videos WHERE self_liked = 1""",
        ),
        # Every other liker, by privacy: the totals minus the likers above.
        (
            "r_like_flags",
            f"""SELECT video_id, is_self, blocked, liker_public, asker_follows, liker_follows, n
            FROM r_like_known
            UNION ALL SELECT v.video_id, 0, 0, s.public, 0, 0,
                CASE WHEN s.public = 1 THEN v.likes - v.private_likes ELSE v.private_likes END
                - coalesce(k.n, 0)
            FROM r_videos v CROSS JOIN {SIDES} s
            LEFT JOIN (SELECT video_id, liker_public, SUM(n) AS n FROM r_like_known
                GROUP BY video_id, liker_public) k
                ON k.video_id = v.video_id AND k.liker_public = s.public""",
        ),
        ("r_people", _people_sql(all_followers)),
        ("r_people_known", _flags_sql("r_people", "c", "creator_id", "JOIN")),
        # A public creator's audience is everyone: the users with no relationship, by privacy.
        (
            "r_people_flags",
            f"""SELECT creator_id, is_self, blocked, liker_public, asker_follows, liker_follows, n
            FROM r_people_known
            UNION ALL SELECT c.creator_id, 0, 0, s.public, 0, 0,
                CASE WHEN s.public = 1
                    THEN (pop.users - pop.private_users) - (1 - c.creator_private)
                    ELSE pop.private_users - c.creator_private END
                - coalesce(k.n, 0)
            FROM r_creators c CROSS JOIN {SIDES} s CROSS JOIN r_population pop
            LEFT JOIN (SELECT creator_id, liker_public, SUM(n) AS n FROM r_people_known
                GROUP BY creator_id, liker_public) k
                ON k.creator_id = c.creator_id AND k.liker_public = s.public
            WHERE c.creator_private = 0""",
        ),
        ("r_wide", wide_sql(rule_sets)),
    ]


# --- the same in one query, every like joined: for an engine that joins in bulk (Spark) ------


def joined_wide_sql(rule_sets: list[Preset]) -> str:
    """r_wide (as `wide_sql` gives it) in one query straight from the format's tables, for an
    engine whose cost is per step rather than per row (Spark: each step a job and its
    stages). The same flags and the same compiled clauses as the flag tables, counted
    another way: every like is joined to its pair's relationship on (creator, liker) and
    judged where it is, so nothing is counted by subtraction; rule 9's candidates are
    added up over the creator's relationships, and for a public creator everyone else
    (judged as a user with no relationship, public or private) is counted from the
    population less the related users.

    `rel` (every creator's relationships, folded per pair) is the one step read twice:
    by the likes and by the candidates."""
    sees = [creator_sees_flags_sql(rules) for rules in rule_sets]
    unrelated = {"is_self": "0", "blocked": "0", "asker_follows": "0", "liker_follows": "0"}
    stranger = [creator_sees_flags_sql(rules, unrelated) for rules in rule_sets]
    identified = ", ".join(
        f"SUM(CASE WHEN {s} THEN 1 ELSE 0 END) AS identifiable_{i}" for i, s in enumerate(sees)
    )
    # Per creator, over its related users: for a public creator (everyone its audience),
    # each one's verdict in place of the one it would have unrelated; for a private one,
    # those of its audience (a block either way, or a follower).
    related = ", ".join(
        f"SUM((CASE WHEN {s} THEN 0 ELSE 1 END) - (CASE WHEN {b} THEN 0 ELSE 1 END))"
        f" AS public_{i}, SUM(CASE WHEN (blocked = 1 OR liker_follows = 1) AND NOT {s}"
        f" THEN 1 ELSE 0 END) AS private_{i}"
        for i, (s, b) in enumerate(zip(sees, stranger, strict=True))
    )
    judged = ", ".join(
        f"coalesce(l.identifiable_{n}, 0) AS identifiable_{n}" for n in range(len(rule_sets))
    )

    def unseen(rules: Preset, public: int) -> str:
        flags = {**unrelated, "liker_public": str(public)}
        return f"(CASE WHEN {creator_sees_flags_sql(rules, flags)} THEN 0 ELSE 1 END)"

    columns = ", ".join(
        f"""v.identifiable_{i}, CASE WHEN c.creator_private = 0
                THEN coalesce(p.public_{i}, 0)
                    + (pop.users - pop.private_users - 1) * {unseen(rules, 1)}
                    + pop.private_users * {unseen(rules, 0)}
                ELSE coalesce(p.private_{i}, 0) END AS candidates_{i}"""
        for i, rules in enumerate(rule_sets)
    )
    public = "CASE WHEN u.is_private = 1 THEN 0 ELSE 1 END"
    return f"""WITH
        rel AS (
            SELECT e.c, e.u, MAX(e.asker_follows) AS asker_follows, MAX(e.blocked) AS blocked,
                MAX(e.liker_follows) AS liker_follows
            FROM (SELECT r.follower_id AS c, r.followee_id AS u, {_FOLLOWED}
                    FROM follows r WHERE r.status = 'approved'
                UNION ALL SELECT r.followee_id, r.follower_id, {_FOLLOWER}
                    FROM follows r WHERE r.status = 'approved'
                UNION ALL SELECT r.blocker_id, r.blocked_id, {_BLOCKED} FROM blocks r
                UNION ALL SELECT r.blocked_id, r.blocker_id, {_BLOCKED} FROM blocks r) e
            WHERE e.c <> e.u AND e.c IN (SELECT creator_id FROM videos)
            GROUP BY e.c, e.u),
        liked AS (
            SELECT video_id, COUNT(*) AS likes, {identified}
            FROM (SELECT l.video_id,
                    CASE WHEN l.user_id = x.creator_id THEN 1 ELSE 0 END AS is_self,
                    coalesce(r.blocked, 0) AS blocked, {public} AS liker_public,
                    coalesce(r.asker_follows, 0) AS asker_follows,
                    coalesce(r.liker_follows, 0) AS liker_follows
                FROM likes l JOIN videos x ON x.id = l.video_id
                LEFT JOIN users u ON u.id = l.user_id
                LEFT JOIN rel r ON r.c = x.creator_id AND r.u = l.user_id) f
            GROUP BY video_id),
        related AS (
            SELECT c AS creator_id, {related}
            FROM (SELECT r.c, 0 AS is_self, r.blocked, {public} AS liker_public,
                    r.asker_follows, r.liker_follows
                FROM rel r JOIN users u ON u.id = r.u) f
            GROUP BY c),
        sized AS (
            SELECT x.id AS video_id, x.creator_id, coalesce(l.likes, 0) AS likes, {judged},
                SUM(coalesce(l.likes, 0)) OVER (PARTITION BY x.creator_id) AS size_likes
            FROM videos x LEFT JOIN liked l ON l.video_id = x.id)
        SELECT v.video_id, v.creator_id, c.handle, c.creator_private,
            {_size_bucket_sql("v.size_likes")} AS size_bucket, v.likes, {columns}
        FROM sized v
        JOIN (SELECT id AS creator_id, handle, is_private AS creator_private FROM users) c
            ON c.creator_id = v.creator_id
        CROSS JOIN ({GENERIC_POPULATION}) pop
        LEFT JOIN related p ON p.creator_id = v.creator_id"""


STEP_NAMES = [name for name, _ in flag_steps([])]
"""Every table the steps build (r_wide's columns depend on the rule sets)."""
STEP_WORDS = {
    "r_counts": "like totals",
    "r_population": "users",
    "r_videos": "videos",
    "r_creators": "creators",
    "r_pairs": "likers with a relationship to the creator",
    "r_like_known": "their flags",
    "r_like_flags": "every other liker",
    "r_people": "each creator's audience",
    "r_people_known": "its flags",
    "r_people_flags": "everyone else",
    "r_wide": "every video's audit under every rule set",
}
