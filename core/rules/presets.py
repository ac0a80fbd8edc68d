"""Platform presets (README, "Platform presets"): each one declarative rule set, as data.

A preset says who can view a video, who sees its like total, and who is
identifiable to whom with which reason. It is never a branch in the queries: the
SQL builders and the fast counts of `policy` read these fields, so a sixth
platform is one more `Preset(...)` in PRESETS, its reasons' words with it (and a
line in the README).

What is fixed in every preset, so it is not a field: your own like is always
identifiable to you (reason `self`), and a liker across a block with the asker
(either way) stays hidden (reason `blocked`). After those two, the first clause
of `identifies` that holds gives the visible reason; otherwise the first clause of
`hidden` that holds, else `otherwise`, gives the hidden reason.
"""

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple

from wholiked.core.errors import BadInput

REASON_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")
"""What a reason may be called (it is written into the SQL of the reason column)."""


class When(StrEnum):
    """What a clause asks of the asker V and the liker L of a video by creator C.

    Each has one SQL fragment (`policy`) and one literal transcription (tests/reference.py).
    """

    ANYONE = "anyone"
    """Every asker who can view the video."""
    ASKER_IS_CREATOR = "asker_is_creator"
    """V made the video (V = C)."""
    LIKER_IS_PUBLIC = "liker_is_public"
    """L's account is public."""
    ASKER_FOLLOWS_LIKER = "asker_follows_liker"
    """V is an approved follower of L (a pending request is not approval)."""
    ASKER_REQUESTED_LIKER = "asker_requested_liker"
    """V's follow request to L is pending (used for a hidden reason)."""
    LIKER_FOLLOWS_ASKER = "liker_follows_asker"
    """L is an approved follower of V (only beside `asker_is_creator`: "the creator sees the
    likers who follow them"; for any asker it would need an audience kind of its own)."""


CLASSIC = frozenset(
    {When.ANYONE, When.ASKER_IS_CREATOR, When.LIKER_IS_PUBLIC, When.ASKER_FOLLOWS_LIKER}
)
"""The conditions the fast counts of `policy` read from counters and short lists; a clause
that needs more (two conditions at once, or the liker's follow) is counted by a scan."""


class CanView(StrEnum):
    """Who can view a video."""

    RULE_1 = "rule_1"
    """Rule 1 (README, "The rules, in plain words"): the creator, or (no block either way)
    and (a public creator, or an approved follower of the creator)."""


class TotalShown(StrEnum):
    """Who sees a video's like total."""

    EVERYONE_WHO_CAN_VIEW = "everyone_who_can_view"
    """Rule 2: everyone who can view the video, every like counted."""


class Clause(NamedTuple):
    """One line of a rule set: when it holds (and every condition of `also` with it), the
    liker gets this reason."""

    when: When
    reason: str
    also: tuple[When, ...] = ()

    @property
    def conditions(self) -> tuple[When, ...]:
        return (self.when, *self.also)

    @property
    def simple(self) -> bool:
        """One condition the fast counts know (`CLASSIC`)."""
        return not self.also and self.when in CLASSIC


class Wording(NamedTuple):
    """How a reason reads: `label` beside a liker, `creator_sees` in "can the creator see my
    like" (why, or why not), `anonymous` for the likers a hidden reason keeps from everyone
    but the creator (or from everyone)."""

    label: str
    creator_sees: str | None = None
    anonymous: str | None = None


class Cell(NamedTuple):
    """Where one cell of the preset table comes from: the platform's own documentation, or
    our reading of how the platform behaves (README, help screen)."""

    documented: bool
    note: str


@dataclass(frozen=True, slots=True)
class Preset:
    """One platform's answer to "who can see who liked this video", as data."""

    name: str
    title: str
    summary: str
    """One line for the help screen and the comparison: who sees whom."""
    identifies: tuple[Clause, ...]
    """After `self` and `blocked`: the first clause that holds makes the liker identifiable."""
    hidden: tuple[Clause, ...] = ()
    """Among the likers no `identifies` clause covers: the first that holds names the reason."""
    otherwise: str | None = None
    """The hidden reason when no clause holds (None only when `anyone` leaves no one)."""
    can_view: CanView = CanView.RULE_1
    total: TotalShown = TotalShown.EVERYONE_WHO_CAN_VIEW
    sources: dict[str, Cell] = field(default_factory=dict, compare=False, hash=False)
    """For each column of the preset table (can_view, like_total, identifiable)."""
    wording: dict[str, Wording] = field(default_factory=dict, compare=False, hash=False)
    """The words of the preset's own reasons (`self` and `blocked`: COMMON_WORDING)."""
    origin: str | None = field(default=None, compare=False, hash=False)
    """The rule file it was read from (None for a built-in preset)."""

    def __post_init__(self) -> None:
        for clause in self.identifies:
            if When.ASKER_REQUESTED_LIKER in clause.conditions:
                raise ValueError(f"{self.name}: a pending request never makes a liker visible")
            if (
                When.LIKER_FOLLOWS_ASKER in clause.conditions
                and When.ASKER_IS_CREATOR not in clause.conditions
            ):
                raise ValueError(
                    f"{self.name}: liker_follows_asker needs asker_is_creator in the same clause"
                )
        for clause in self.hidden:
            if clause.conditions != (When.ASKER_REQUESTED_LIKER,):
                raise ValueError(f"{self.name}: hidden clauses can only name a pending request")
        covers_all = any(set(c.conditions) == {When.ANYONE} for c in self.identifies)
        if (self.otherwise is None) != covers_all:
            raise ValueError(f"{self.name}: `otherwise` is needed exactly when someone is hidden")
        for reason in (*self.visible_reasons, *self.hidden_reasons):
            if not REASON_NAME.fullmatch(reason):
                raise ValueError(f"{self.name}: a reason is a-z, 0-9 and _ (got {reason!r})")
        reserved = {"self", "blocked"} & {c.reason for c in (*self.identifies, *self.hidden)}
        if reserved or self.otherwise in ("self", "blocked"):
            raise ValueError(f"{self.name}: 'self' and 'blocked' are every preset's own reasons")
        both = set(self.visible_reasons) & set(self.hidden_reasons)
        if both:
            raise ValueError(f"{self.name}: reasons both visible and hidden: {sorted(both)}")

    @property
    def classic(self) -> bool:
        """Every clause is one condition the fast counts know."""
        return all(c.simple for c in self.identifies)

    @property
    def visible_reasons(self) -> tuple[str, ...]:
        return ("self", *dict.fromkeys(c.reason for c in self.identifies))

    @property
    def hidden_reasons(self) -> tuple[str, ...]:
        rest = [c.reason for c in self.hidden] + ([self.otherwise] if self.otherwise else [])
        return ("blocked", *dict.fromkeys(rest))

    def clauses(self, *, asker_is_creator: bool | None = None) -> tuple[Clause, ...]:
        """The identifying clauses; with `asker_is_creator` known, "the asker made the video"
        is decided here: it becomes `anyone` for the creator and drops out for everyone else
        (so a query for one asker and one video never needs the creator's id)."""
        if asker_is_creator is None:
            return self.identifies
        found = []
        for clause in self.identifies:
            if When.ASKER_IS_CREATOR not in clause.conditions:
                found.append(clause)
            elif asker_is_creator:
                rest = [
                    w for w in clause.conditions if w not in (When.ASKER_IS_CREATOR, When.ANYONE)
                ]
                found.append(
                    Clause(rest[0], clause.reason, tuple(rest[1:]))
                    if rest
                    else Clause(When.ANYONE, clause.reason)
                )
        return tuple(found)

    def depends_on(self, when: When) -> bool:
        """Whether any clause of the preset asks this."""
        return any(when in c.conditions for c in (*self.identifies, *self.hidden))


_RULE_1 = Cell(
    True,
    "private accounts' videos are for approved followers, and a block hides them both ways",
)
_TOTAL = Cell(True, "the like count is shown on the video to everyone who can view it")

COMMON_WORDING = {
    "self": Wording("you (your own like)", creator_sees="it is your own video"),
    "blocked": Wording("blocked (either way)", creator_sees="one of you has blocked the other"),
}
"""The words of the two reasons every preset has."""

SEED = Preset(
    name="seed",
    title="seed",
    summary=(
        "you identify your own like, public likers and private likers whose approved"
        " follower you are; being the creator gives no extra power (the article's model)"
    ),
    identifies=(
        Clause(When.LIKER_IS_PUBLIC, "public"),
        Clause(When.ASKER_FOLLOWS_LIKER, "approved_follower"),
    ),
    hidden=(Clause(When.ASKER_REQUESTED_LIKER, "private_follow_pending"),),
    otherwise="private_not_following",
    wording={
        "public": Wording("public account", creator_sees="your account is public"),
        "approved_follower": Wording(
            "you follow (approved)", creator_sees="they are your approved follower"
        ),
        "private_follow_pending": Wording(
            "private, request pending",
            creator_sees=(
                "your account is private and their follow request to you is still pending"
            ),
        ),
        "private_not_following": Wording(
            "private, not followed",
            creator_sees="your account is private and they are not your approved follower",
        ),
    },
    sources={
        "can_view": Cell(False, "the article's rule 1 (our model, not a platform's)"),
        "like_total": Cell(False, "the article: everyone who can view sees the total"),
        "identifiable": Cell(
            False,
            "the article's rule: no platform documents it (wholiked's model)",
        ),
    },
)

TIKTOK = Preset(
    name="tiktok",
    title="TikTok",
    summary=(
        "the creator sees every liker (Inbox → Activities); everyone else sees only their own like"
    ),
    identifies=(Clause(When.ASKER_IS_CREATOR, "creator_inbox"),),
    otherwise="creator_only",
    wording={
        "creator_inbox": Wording(
            "your video (Inbox → Activities)",
            creator_sees="on TikTok a creator sees every like in Inbox → Activities",
        ),
        "creator_only": Wording(
            "only the creator sees it", anonymous="on TikTok only the creator sees who liked"
        ),
    },
    sources={
        "can_view": _RULE_1,
        "like_total": _TOTAL,
        "identifiable": Cell(
            True,
            "TikTok Help: the creator sees who liked a video in Inbox → Activities;"
            " that other viewers see only their own like, and that private likers are"
            " listed too, is our reading",
        ),
    },
)

INSTAGRAM = Preset(
    name="instagram",
    title="Instagram",
    summary=(
        "everyone who can view the post sees every liker ('liked by'), private accounts"
        " included, except across a block"
    ),
    identifies=(Clause(When.ANYONE, "everyone_who_can_view"),),
    wording={
        "everyone_who_can_view": Wording(
            "liked-by list (everyone)",
            creator_sees="on Instagram everyone who can view a post sees who liked it",
        ),
    },
    sources={
        "can_view": _RULE_1,
        "like_total": Cell(
            True,
            "shown to everyone who can view; the author can hide the count on a post"
            " (not modelled: every post here shows it)",
        ),
        "identifiable": Cell(
            True,
            "Instagram Help Center: a like on a post can be seen by anyone who can see the"
            " post, even from a private account; hiding likers across a block is our reading",
        ),
    },
)

X = Preset(
    name="x",
    title="X (since June 2024)",
    summary=(
        "likes are private: only the post's author sees who liked; everyone else sees only"
        " their own like"
    ),
    identifies=(Clause(When.ASKER_IS_CREATOR, "author_sees_all"),),
    otherwise="author_only",
    wording={
        "author_sees_all": Wording(
            "your post (author sees likes)",
            creator_sees="on X a post's author sees who liked it",
        ),
        "author_only": Wording(
            "only the author sees it", anonymous="on X only the post's author sees who liked"
        ),
    },
    sources={
        "can_view": Cell(True, "protected accounts' posts are for approved followers"),
        "like_total": Cell(True, "X's June 2024 announcement: like counts stay visible"),
        "identifiable": Cell(
            True,
            "X Engineering, June 2024: 'you will no longer see who liked someone else's"
            " post; a post's author can see who liked its posts'",
        ),
    },
)

YOUTUBE = Preset(
    name="youtube",
    title="YouTube",
    summary="likes are private: nobody sees who liked, not even the creator (counts only)",
    identifies=(),
    otherwise="nobody_sees_likers",
    wording={
        "nobody_sees_likers": Wording(
            "likes are private",
            creator_sees="on YouTube likes are private, the creator included",
            anonymous="on YouTube nobody sees who liked, not even the creator",
        ),
    },
    sources={
        "can_view": Cell(
            False,
            "YouTube has no approved followers: rule 1 is our reading (private videos)",
        ),
        "like_total": Cell(True, "the like count is public on the video"),
        "identifiable": Cell(
            True,
            "YouTube Help: likes are private; creators see how many, never who",
        ),
    },
)

PRESETS: dict[str, Preset] = {p.name: p for p in (SEED, TIKTOK, INSTAGRAM, X, YOUTUBE)}
"""Every preset, the default (seed) first; `--rules` offers these names in this order."""

DEFAULT = SEED.name

ALL_VISIBLE_REASONS: frozenset[str] = frozenset(
    r for p in PRESETS.values() for r in p.visible_reasons
)
ALL_HIDDEN_REASONS: frozenset[str] = frozenset(
    r for p in PRESETS.values() for r in p.hidden_reasons
)
if ALL_VISIBLE_REASONS & ALL_HIDDEN_REASONS:  # a reason says one thing in every preset
    raise ValueError(f"reasons both visible and hidden: {ALL_VISIBLE_REASONS & ALL_HIDDEN_REASONS}")


def preset(name: str | Preset) -> Preset:
    """The preset of this name (a Preset is returned as is); BadInput names the choices."""
    if isinstance(name, Preset):
        return name
    found = PRESETS.get(str(name).strip().lower())
    if found is None:
        raise BadInput(f"unknown rules {name!r}; use one of {', '.join(PRESETS)}")
    return found
