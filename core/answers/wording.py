"""How wholiked says things: reasons, badges, counts, times and the rule sentences.

One phrasing of each, used by the FAQ, tips, actions, the CLI and the TUI. Pure
functions returning plain strings; data inside them is still untrusted text that
the caller shows through the sanitiser.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from wholiked.core.errors import WholikedError
from wholiked.core.rules.presets import SEED, Preset, When
from wholiked.core.rules.reasons import reason_wording
from wholiked.core.store.database import describe_sqlite_error
from wholiked.core.store.records import User

if TYPE_CHECKING:
    from wholiked.core.answers.analytics_records import PrivacyOdometer, VideoScopes
    from wholiked.core.release.daily import Released

# Who else can see a like, by rule 6's audience kind (who_sees.AUDIENCE_KINDS).
AUDIENCE_WHO = {
    "everyone": "everyone who can view this video",
    "approved_followers": "your approved followers who can view this video",
    "approved_followers_and_creator": (
        "the creator and your approved followers who can view this video"
    ),
    "creator_only": "only the creator",
    "nobody": "nobody but you",
}

ANONYMOUS_WHO = (
    "anonymous to you: private accounts you are not an approved follower of,"
    " or accounts on either side of a block with you"
)

EXPOSED_BASIS = (
    "the creator may still tell it is yours (this assumes the worst of their follows and"
    " blocks, which you cannot see; the audit has the exact verdict)."
)
"""Rule 9's warning for a liker, in words: computed from what the liker can see only."""

EXPOSED_WARNING = f"Warning: your like is anonymous to the creator, but {EXPOSED_BASIS}"

RULES_IN_FORCE = (
    "Another platform's rules show what that platform shows: the promise that nothing you"
    " see identifies an anonymous liker holds under the rules in force (Instagram's, for"
    " one, list every private liker to everyone who can view the video)."
)
"""Said wherever the rules can be switched or compared."""

AUDIT_LABEL = "AUDIT — omniscient, not what any user sees"

PRIVATE_RULE_NOTE = (
    "The rule that private likers stay anonymous unless you are their approved follower"
    " is the model of the article this app grew out of, not a documented rule of any real"
    " platform (Instagram lists private likers to anyone who can see the post, X shows"
    " likers only to the author, YouTube to nobody)."
)


SOURCE_COLUMNS = {
    "can_view": "who can view",
    "like_total": "the like total",
    "identifiable": "who is identifiable",
}


def preset_sources_line(rules: Preset) -> str:
    """One line for a preset: its rule, which cells its platform documents and which are
    our reading (README "Platform presets")."""
    documented = [SOURCE_COLUMNS[k] for k, cell in rules.sources.items() if cell.documented]
    ours = [SOURCE_COLUMNS[k] for k, cell in rules.sources.items() if not cell.documented]
    said = "; ".join(
        [f"documented: {', '.join(documented)}" if documented else "documented: nothing"]
        + ([f"our reading: {', '.join(ours)}"] if ours else [])
    )
    why = rules.sources.get("identifiable")
    return f"{rules.title}: {rules.summary} ({said}; {why.note if why else ''})."


def plural(count: int, one: str, many: str | None = None) -> str:
    """'1 like', '2 likes', '1,234 likes'."""
    word = one if count == 1 else (many or one + "s")
    return f"{count:,} {word}"


def stands_clear(value: Released) -> bool:
    """A released value is shown as a number only when it stands clear of its noise: a
    whole number (at least the threshold) larger than its 90% margin, so the margin
    does not reach zero."""
    return isinstance(value.value, int) and value.value > value.margin90


def released(value: Released) -> str:
    """A released number in words: '≈ 120 ± 14' when it stands clear of its noise, else
    'too few to tell'."""
    if stands_clear(value):
        return f"≈ {value.number:,} ± {value.margin90:,}"
    return TOO_FEW


TOO_FEW = "too few to tell"


def _epsilon(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def odometer_words(odometer: PrivacyOdometer, release_day: str) -> str:
    """The privacy odometer in words: what the creator's releases have cost so far, this
    year against its cap, and, once the cap is spent, that the release stands still."""
    days = odometer.release_days
    said = (
        f"Privacy spent so far: ε = {_epsilon(odometer.epsilon_spent)} over {days:,} release"
        f" day{'' if days == 1 else 's'} ({_epsilon(odometer.epsilon_spent_this_year)} in"
        f" {odometer.year}"
    )
    if odometer.epsilon_year is None:
        said += ", no yearly cap)."
    else:
        said += f" of the {_epsilon(odometer.epsilon_year)} allowed a year)."
    if odometer.frozen_until is not None:
        said += (
            f" This year's budget is spent: the release of {release_day} stays as it is"
            f" until {odometer.frozen_until}."
        )
    return said


TOO_FEW_TO_BREAK_DOWN = "too few likers to break down"


def video_scope_words(scopes: VideoScopes, video_id: int | None, likes: int) -> str:
    """Which videos have analytics of their own today, in words ("" when every video has:
    the world sets no rule); for a video without, why its numbers are not shown."""
    least = scopes.min_likes
    if least == 0:
        return ""
    if video_id is not None and video_id not in scopes.released:
        return (
            f"Video {video_id} had fewer than {least:,} likes when today's release was made"
            f" ({likes:,} now): too few likes to tell its likers from the noise, so it has no"
            " analytics of its own today (it costs its likers no privacy). Its likers are"
            " counted in all your videos' analytics."
        )
    if not scopes.released:
        return (
            f"None of your videos has {least:,} likes yet, so none has analytics of its own"
            " today: all your videos' analytics get the day's whole privacy budget (less noise)."
        )
    count = len(scopes.released)
    return (
        f"{plural(count, 'video')} with at least {least:,} likes"
        f" {'has' if count == 1 else 'have'} analytics of their own today."
    )


def video_scope_cell(scopes: VideoScopes, video_id: int) -> str:
    """A video's row in the per-video table: whether it has analytics of its own today."""
    if scopes.min_likes == 0 or video_id in scopes.released:
        return "yes"
    return f"< {scopes.min_likes:,} likes"


BLURRED_WHY = (
    "Counts of likers are blurred on purpose with random noise (differential privacy):"
    " no answer, however it is asked or combined, tells whether one account liked."
)


def account_word(user: User) -> str:
    return "creator account" if user.is_creator else "personal account"


def badges(user: User) -> str:
    """'public · creator' in words, for lists and the picker."""
    return f"{'private' if user.is_private else 'public'} · {user.account_type}"


def when(timestamp: str | None) -> str:
    """'2026-11-01 14:03' from '2026-11-01T14:03:00Z' (UTC)."""
    if not timestamp:
        return ""
    return timestamp.replace("T", " ").removesuffix("Z")[:16]


def day(timestamp: str | None) -> str:
    """'2026-11-01' from an ISO timestamp."""
    return (timestamp or "")[:10]


def liker_reason(reason: str | None, rules: Preset | None = None) -> str:
    """A reason beside a liker, in the rules' own words (a rule file's, or the built-ins')."""
    if reason is None:
        return "—"
    return reason_wording(reason, rules).label


def identified_line(identifiable: int, total: int) -> str:
    """'You can identify 41 of 57 likers.'"""
    if total == 0:
        return "No likes yet."
    if identifiable == total:
        return f"You can identify all {plural(total, 'liker')}."
    return f"You can identify {identifiable:,} of {plural(total, 'liker')}."


def anonymous_who(rules: Preset = SEED, *, asker_is_creator: bool = False) -> str:
    """Who the anonymous likes are from, in words, under the preset (ANONYMOUS_WHO for the
    seed, and for any preset where privacy and follows decide)."""
    if rules.depends_on(When.LIKER_IS_PUBLIC) or rules.depends_on(When.ASKER_FOLLOWS_LIKER):
        return ANONYMOUS_WHO
    clauses = rules.clauses(asker_is_creator=asker_is_creator)
    if any(c.when is When.ANYONE for c in clauses):
        return "anonymous to you: accounts on either side of a block with you"
    why = reason_wording(rules.otherwise or "", rules).anonymous
    return f"anonymous to you: {why or f'the {rules.title} rules hide them'}"


def anonymous_line(anonymous: int, who: str = ANONYMOUS_WHO) -> str:
    """The anonymous row in words: a count, never rows."""
    if anonymous == 0:
        return "No anonymous likes: every liker is identifiable to you."
    return f"+ {plural(anonymous, 'like')} from accounts {who}."


def audience_lines(
    *,
    creator: str,
    liked: bool,
    creator_can_see: bool,
    reason: str,
    audience: str,
    count: int,
    rules: Preset | None = None,
) -> tuple[str, str]:
    """'Who can see my like', phrased for a like given or one not given yet."""
    others = AUDIENCE_WHO.get(audience, audience)
    why = reason_wording(reason, rules).creator_sees or reason
    if reason == "self":
        done = "you liked it" if liked else "you have not liked it"
        first = f"This is your own video ({done}); as its creator you always see your own like."
    elif liked:
        can = "can" if creator_can_see else "cannot"
        first = f"You liked this. The creator @{creator} {can} see your like: {why}."
    else:
        could = "could" if creator_can_see else "could not"
        first = f"If you liked this, the creator @{creator} {could} see it: {why}."
    verb = "can" if liked else "could"
    second = f"Who else {verb} see it: {others} — at most {plural(count, 'user')}."
    return first, second


def error_line(error: BaseException, label: str) -> str:
    """One readable line for a failure inside a worker (never a traceback).

    Wholiked's own errors already say what went wrong; an SQLite error is put
    in words for the database `label`; anything else names its type.
    """
    if isinstance(error, WholikedError):
        return str(error)
    if isinstance(error, sqlite3.Error):
        return describe_sqlite_error(label, error)
    return f"unexpected error ({type(error).__name__}): {error}"


def public_warning(pending: int, likes: int) -> str:
    """What going public does, in numbers (the confirmation before it)."""
    approves = (
        f"approves {plural(pending, 'pending follow request')}"
        if pending
        else "approves any follow request sent to you (none is pending now)"
    )
    seen = f"your {plural(likes, 'like')}" if likes else "every like you give"
    return (
        f"Going public {approves} and lets everyone who can view a video see {seen}."
        " Going private again later does not undo the approvals: those followers stay"
        " approved and keep seeing your likes."
    )


def block_warning(
    handle: str, *, following: str | None, followed_by: str | None, videos: int
) -> str:
    """What blocking does, in numbers (the confirmation before it)."""
    removed = []
    if following == "approved":
        removed.append("your follow of them")
    elif following == "pending":
        removed.append("your pending follow request to them")
    if followed_by == "approved":
        removed.append("their follow of you")
    elif followed_by == "pending":
        removed.append("their pending request to follow you")
    if removed:
        follows = (
            f"Blocking @{handle} removes {' and '.join(removed)}; unblocking later does not"
            " restore them."
        )
    else:
        follows = f"Blocking @{handle} removes no follow (there is none between you)."
    gone = (
        f" Their {plural(videos, 'video')} you can view now vanish from your feed,"
        if videos
        else " You see none of their videos now;"
    )
    return (
        f"{follows}{gone} and while the block lasts neither of you can see the other's"
        " videos or likes."
    )
