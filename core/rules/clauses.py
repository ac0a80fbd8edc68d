"""A preset's clauses as SQL fragments: rule 3 (identifiable), rules 5 and 8 (the reason).

Built from the preset's data (`presets.Preset`), never copied per platform; the
fragments read an asker, a liker and the liker's privacy as SQL expressions, so
the same builder serves a page of likers (`:v`, `l.user_id`, `u.is_private`), one
pair, or a query over many videos (the creator as `x.creator_id`).
"""

from collections.abc import Mapping

from wholiked.core.rules.presets import SEED, Clause, Preset, When

# Rule 5 then rule 8: the first reason that applies, for asker :v and a liker
# whose id is l.user_id and whose privacy is u.is_private.
_BLOCKED = (
    "(EXISTS (SELECT 1 FROM blocks WHERE blocker_id = {a} AND blocked_id = {b})"
    " OR EXISTS (SELECT 1 FROM blocks WHERE blocker_id = {b} AND blocked_id = {a}))"
)
_APPROVED = (
    "EXISTS (SELECT 1 FROM follows WHERE follower_id = {a} AND followee_id = {b}"
    " AND status = 'approved')"
)
_PENDING = (
    "EXISTS (SELECT 1 FROM follows WHERE follower_id = {a} AND followee_id = {b}"
    " AND status = 'pending')"
)


def blocked_sql(a: str, b: str) -> str:
    """SQL true when either of a, b has blocked the other (a, b are SQL expressions)."""
    return _BLOCKED.format(a=a, b=b)


def approved_sql(follower: str, followee: str) -> str:
    """SQL true when follower is an approved follower of followee."""
    return _APPROVED.format(a=follower, b=followee)


# --- the preset's clauses as SQL --------------------------------------------------------------

Creator = str | bool | None
"""How a fragment knows whether the asker made the video: an SQL expression for the video's
creator id, a bool when it is already known (one asker, one video), or None for a preset
whose clauses never ask."""


def _clauses(rules: Preset, creator: Creator) -> tuple[Clause, ...]:
    if isinstance(creator, bool):
        return rules.clauses(asker_is_creator=creator)
    if creator is None and rules.depends_on(When.ASKER_IS_CREATOR):
        raise ValueError(f"the {rules.name} rules need the video's creator")
    return rules.clauses()


def _when_sql(when: When, asker: str, liker: str, liker_private: str, creator: Creator) -> str:
    """One clause's condition as SQL (tests/reference.py transcribes the same words)."""
    if when is When.ANYONE:
        return "1"
    if when is When.ASKER_IS_CREATOR:
        return f"({asker} = {creator})"
    if when is When.LIKER_IS_PUBLIC:
        return f"{liker_private} = 0"
    if when is When.ASKER_FOLLOWS_LIKER:
        return approved_sql(asker, liker)
    if when is When.ASKER_REQUESTED_LIKER:
        return _PENDING.format(a=asker, b=liker)
    if when is When.LIKER_FOLLOWS_ASKER:
        return approved_sql(liker, asker)
    raise ValueError(f"no SQL for {when}")


def _clause_sql(
    clause: Clause, asker: str, liker: str, liker_private: str, creator: Creator
) -> str:
    """A clause's conditions, all of them, as SQL."""
    parts = [_when_sql(w, asker, liker, liker_private, creator) for w in clause.conditions]
    return parts[0] if len(parts) == 1 else "(" + " AND ".join(parts) + ")"


def clauses_sql(
    clauses: tuple[Clause, ...],
    *,
    asker: str = ":v",
    liker: str = "l.user_id",
    liker_private: str = "u.is_private",
    creator: Creator = None,
) -> str:
    """SQL true when the liker is identifiable through one of these (already resolved)
    clauses: your own like, or no block and one clause holds."""
    grants = [_clause_sql(c, asker, liker, liker_private, creator) for c in clauses]
    if not grants:
        return f"({liker} = {asker})"
    return (
        f"({liker} = {asker} OR (\n    ({' OR '.join(grants)})"
        f"\n    AND NOT {blocked_sql(asker, liker)}))"
    )


def identifiable_sql(
    rules: Preset = SEED,
    *,
    asker: str = ":v",
    liker: str = "l.user_id",
    liker_private: str = "u.is_private",
    creator: Creator = None,
) -> str:
    """SQL true when the liker is identifiable to the asker (rule 3 under the preset; the asker
    can view the video): your own like, or no block and one of the preset's clauses."""
    return clauses_sql(
        _clauses(rules, creator),
        asker=asker,
        liker=liker,
        liker_private=liker_private,
        creator=creator,
    )


def reason_sql(
    rules: Preset = SEED,
    *,
    asker: str = ":v",
    liker: str = "l.user_id",
    liker_private: str = "u.is_private",
    creator: Creator = None,
) -> str:
    """SQL for the reason (rules 5 and 8 under the preset): self, blocked, the first clause
    that holds, else the preset's hidden reason."""
    first = [
        f"WHEN {liker} = {asker} THEN 'self'",
        f"WHEN {blocked_sql(asker, liker)} THEN 'blocked'",
    ]
    otherwise = f"'{rules.otherwise}'" if rules.otherwise else "NULL"
    pair = (asker, liker, liker_private, creator)
    return _case_sql(first, (*_clauses(rules, creator), *rules.hidden), otherwise, *pair)


def visible_reason_sql(
    rules: Preset = SEED,
    *,
    asker: str = ":v",
    liker: str = "l.user_id",
    liker_private: str = "u.is_private",
    creator: Creator = None,
) -> str:
    """The reason of a liker already known to be identifiable (no block probes needed)."""
    clauses = _clauses(rules, creator)
    if not clauses:
        return "'self'"
    first = [f"WHEN {liker} = {asker} THEN 'self'"]
    pair = (asker, liker, liker_private, creator)
    return _case_sql(first, clauses[:-1], f"'{clauses[-1].reason}'", *pair)


def _case_sql(
    first: list[str],
    clauses: tuple[Clause, ...],
    otherwise: str,
    asker: str,
    liker: str,
    liker_private: str,
    creator: Creator,
) -> str:
    """A reason as SQL: the `first` WHEN lines, then each clause's conditions giving its
    reason, in order, else `otherwise` (an SQL expression)."""
    lines = [*first]
    for clause in clauses:
        condition = _clause_sql(clause, asker, liker, liker_private, creator)
        lines.append(f"WHEN {condition} THEN '{clause.reason}'")
    return "CASE\n    " + "\n    ".join(lines) + f"\n    ELSE {otherwise} END"


# --- the clauses over relationship flags (the platform report, any engine) --------------------

FLAG_SQL = {
    When.ANYONE: "1 = 1",
    When.LIKER_IS_PUBLIC: "{liker_public} = 1",
    When.ASKER_FOLLOWS_LIKER: "{asker_follows} = 1",
    When.LIKER_FOLLOWS_ASKER: "{liker_follows} = 1",
}
"""Each condition over a row of flags for one (video creator, liker) pair: the liker is public,
the creator approved-follows the liker, the liker approved-follows the creator. Plain SQL
that SQLite and Spark SQL both read ({flag}: the flag's column or value)."""

FLAGS = ("is_self", "blocked", "liker_public", "asker_follows", "liker_follows")
"""The flags of a (creator, liker) pair, as the flag tables name their columns."""


def creator_sees_flags_sql(rules: Preset, flags: Mapping[str, str] | None = None) -> str:
    """SQL true when the liker is identifiable to the video's creator (rule 3 under the rules,
    the asker being the creator), over a row with the flags `is_self`, `blocked`,
    `liker_public`, `asker_follows`, `liker_follows` (0/1): the same clauses as
    `identifiable_sql`, compiled for a table of pairs instead of one asker. `flags` puts
    other SQL (another column, a value) in place of any of them: the verdict for a pair
    with no relationship, say, is the clauses over zeros and the liker's privacy."""
    given = {name: name for name in FLAGS} | dict(flags or {})
    grants = [
        "(" + " AND ".join(FLAG_SQL[w].format(**given) for w in clause.conditions) + ")"
        for clause in rules.clauses(asker_is_creator=True)
    ]
    return (
        f"({given['is_self']} = 1 OR ({given['blocked']} = 0"
        f" AND ({' OR '.join(grants) or '1 = 0'})))"
    )
