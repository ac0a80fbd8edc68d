"""The seed's six questions, answered with the acting user's live numbers (docs/design.md).

`faq(db, user)` returns one `FaqAnswer` (question, answer) per question, in the order of
QUESTIONS.
The numbers come from one example video (the one the user is looking at, when the caller
names one they can view), read as the likers view reads them (so they are the
numbers the likers view shows): the user's most-liked own video (ties: lowest id), else,
among the videos they liked and can still view, the one that shows the rule best: the most
likes anonymous to them (ties: the one liked most recently; the latest EXAMPLE_LIKES likes
are looked at), else none (general answers with the user's own like and follower counts).
No answer contradicts its numbers: with no anonymous like there is no "the other 0", and
nobody is told "nobody sees every liker" while they do.

Answers quote only video ids and handles (validated text), never captions or display
names. Q3 and Q6 say that the private-liker rule is the article's model, not a rule any
real platform documents. Under another preset (`rules`) the numbers are that preset's
and the answers say its rule (`_preset_answers`).
"""

import sqlite3
from dataclasses import dataclass

from wholiked.core.answers.analytics_defaults import DEFAULT_K
from wholiked.core.answers.audit import Audience, audience
from wholiked.core.answers.likers import Likers, likers
from wholiked.core.answers.wording import (
    ANONYMOUS_WHO,
    AUDIENCE_WHO,
    PRIVATE_RULE_NOTE,
    liker_reason,
)
from wholiked.core.answers.wording import plural as _n
from wholiked.core.rules import policy, who_sees
from wholiked.core.rules.presets import SEED, Preset, When
from wholiked.core.store.database import Database
from wholiked.core.store.records import User, user_by_id

QUESTIONS = (
    "Is it possible to see a complete list of the users who liked a video?",
    "How is the number of likes shown?",
    "Do privacy settings affect the visibility of likes?",
    "Can third-party analytics tools reveal who liked a video?",
    "Does a creator account give more detail about who is liking videos?",
    "Why does the platform limit the visibility of individual likers?",
)


EXAMPLE_LIKES = 200
"""How many of a viewer's latest likes are looked at to pick the example video."""


@dataclass(frozen=True)
class _Example:
    likers: Likers
    audience: Audience
    own: bool

    @property
    def name(self) -> str:
        video = self.likers.video
        if self.own:
            return f"your video {video.id}"
        liked = " (a video you liked)" if self.audience.liked else ""
        return f"video {video.id} by @{video.creator_handle}{liked}"


def _example_video(
    conn: sqlite3.Connection, user: User, rules: Preset = SEED, chosen: int | None = None
) -> tuple[int, bool] | None:
    if chosen is not None and policy.can_view(
        conn, viewer_id=user.id, video_id=chosen, rules=rules
    ):
        creator = policy.creator_of(conn, chosen)
        return chosen, creator == user.id
    row = conn.execute(
        """SELECT x.id FROM videos x WHERE x.creator_id = ?
        ORDER BY (SELECT count(*) FROM likes l WHERE l.video_id = x.id) DESC, x.id LIMIT 1""",
        (user.id,),
    ).fetchone()
    if row is not None:
        return row[0], True
    liked = conn.execute(
        f"""SELECT x.id FROM likes l JOIN videos x ON x.id = l.video_id
            JOIN users c ON c.id = x.creator_id
        WHERE l.user_id = :v AND {policy.can_view_sql(rules)}
        ORDER BY l.liked_at DESC, x.id DESC LIMIT :n""",
        {"v": user.id, "n": EXAMPLE_LIKES},
    ).fetchall()
    if not liked:
        return None
    # The most anonymous likes shows the rule; max() keeps the first (latest) of a tie.
    best = max(
        liked,
        key=lambda row: policy.anonymous_count(
            conn, viewer_id=user.id, video_id=row[0], rules=rules
        ),
    )
    return best[0], False


@dataclass(frozen=True, slots=True)
class FaqAnswer:
    """One question of the seed's FAQ with its answer for the acting user."""

    question: str
    answer: str


def faq(
    db: Database, user: User, *, rules: Preset = SEED, video_id: int | None = None
) -> list[FaqAnswer]:
    """The six answers for this acting user, each citing the numbers the likers view shows:
    of `video_id` when given and the user can view it (the video they are looking at),
    else of the example video picked as the module docstring says."""
    with db.snapshot() as conn:
        user = user_by_id(db, user.id)  # current privacy and account type
        found = _example_video(conn, user, rules, video_id)
        example = None
        if found is not None:
            video_id, own = found
            example = _Example(
                likers(db, video_id, user, limit=0, rules=rules),
                audience(db, video_id, user, rules=rules),
                own,
            )
        likes = who_sees.like_count(conn, user.id)
        followers = who_sees.approved_follower_count(conn, user.id)
    if rules is not SEED:
        answers = _preset_answers(rules, user, example)
        return [FaqAnswer(q, a) for q, a in zip(QUESTIONS, answers, strict=True)]
    answers = (
        _complete_list(example),
        _how_shown(example),
        _privacy(user, example, likes, followers),
        _third_party(user, example),
        _creator_account(user, example),
        _why(user, example, likes, followers),
    )
    return [FaqAnswer(q, a) for q, a in zip(QUESTIONS, answers, strict=True)]


def _your_likes(user: User, likes: int, followers: int) -> str:
    privacy = "private" if user.is_private else "public"
    if user.is_private:
        who = (
            f"only by your {_n(followers, 'approved follower')} (those of them who can view"
            f" {'the' if not likes else 'each'} video)"
        )
    else:
        who = f"by everyone who can view {'the' if not likes else 'each'} video"
    mine = f"your {_n(likes, 'like')}" if likes else "a like you give"
    return f"your account is {privacy}, so {mine} can be seen {who}"


def _complete_list(ex: _Example | None) -> str:
    rule = (
        " Nobody sees every liker by name, and being the creator gives no extra power; only"
        " wholiked's audit view, an omniscient tool for checking the rules, lists them all."
    )
    if ex is None:
        return (
            "Not always. You see a liker by name when it is your own like, a public account,"
            " or a private account you follow with approval; the others are only counted."
            " You have no videos and no likes on videos you can view, so there are no numbers"
            " of yours to show yet." + rule
        )
    lk = ex.likers
    if lk.total == 0:
        return (
            f"Not always. {ex.name[0].upper() + ex.name[1:]} has no likes yet. You will see a"
            " liker by name when it is your own like, a public account, or a private account"
            " you follow with approval; the others will only be counted." + rule
        )
    if lk.anonymous == 0:
        everyone = "its one liker" if lk.total == 1 else f"all {_n(lk.total, 'liker')}"
        return (
            f"For {ex.name} you can identify {everyone} right now; a liker would be left out"
            " of your list if they were a private account you are not an approved follower"
            " of, or if there were a block between you. That comes from whom you follow, not"
            " from a privilege: another account sees only the likers it may identify, being"
            " the creator gives no extra power, and only wholiked's audit view, an omniscient"
            " tool for checking the rules, lists every liker whoever asks."
        )
    return (
        f"Not a complete one. For {ex.name} you can identify {lk.identifiable_count:,} of"
        f" {_n(lk.total, 'liker')}; {lk.anonymous:,} {'is' if lk.anonymous == 1 else 'are'}"
        f" {ANONYMOUS_WHO}." + rule
    )


def _how_shown(ex: _Example | None) -> str:
    lead = "As one total that counts every like, anonymous ones included"
    listed = (
        "listed newest first, each with the reason (your own like, a public account, or a"
        " private account you follow with approval)"
    )
    if ex is None:
        return (
            f"{lead}, shown to everyone who can view the video. The likers you can identify"
            f" are {listed}; the others appear only as a count, with no names, no times and"
            " no place in the list."
        )
    lk = ex.likers
    shown = f"{lead}: {ex.name} shows {_n(lk.total, 'like')} to everyone who can view it."
    if lk.anonymous == 0:
        if lk.total == 0:
            return (
                f"{shown} The likers you can identify will be {listed}; the others will"
                " appear only as a count, with no names, no times and no place in the list."
            )
        return (
            f"{shown} The {_n(lk.identifiable_count, 'liker')} you can identify"
            f" {'is' if lk.identifiable_count == 1 else 'are'} {listed}. None is anonymous"
            " to you there; a like you could not identify would appear only as a count, with"
            " no name, no time and no place in the list."
        )
    return (
        f"{shown} The"
        f" {_n(lk.identifiable_count, 'liker')} you can identify"
        f" {'is' if lk.identifiable_count == 1 else 'are'} {listed}; the other"
        f" {lk.anonymous:,} {'appears' if lk.anonymous == 1 else 'appear'} only as a count,"
        " with no names, no times and no place in the list."
    )


def _privacy(user: User, ex: _Example | None, likes: int, followers: int) -> str:
    parts = ["Yes, both ways."]
    if ex is not None:
        lk, a = ex.likers, ex.audience
        if lk.anonymous:
            parts.append(
                f"Likers' privacy: on {ex.name}, {lk.anonymous:,} of the {_n(lk.total, 'like')}"
                f" {'comes' if lk.anonymous == 1 else 'come'} from accounts {ANONYMOUS_WHO}."
            )
        else:
            parts.append(
                f"Likers' privacy: on {ex.name}, none of the {_n(lk.total, 'like')} comes from"
                " an account anonymous to you; a like would be if it came from a private"
                " account you are not an approved follower of, or from across a block."
            )
        who = (
            "everyone who can view the video"
            if a.audience == "everyone"
            else "your approved followers who can view the video"
        )
        like = "your like there can" if a.liked else "a like from you there could"
        parts.append(
            f"Your privacy: {like} be seen by at most {_n(a.audience_at_most, 'user')} ({who})."
        )
    parts.append(f"In all, {_your_likes(user, likes, followers)}.")
    parts.append(PRIVATE_RULE_NOTE)
    return " ".join(parts)


def _third_party(user: User, ex: _Example | None) -> str:
    k = DEFAULT_K
    base = (
        "No. Analytics, in wholiked and for any tool built on the same release, never list"
        " likers: a creator account gets a daily release of counts of liker accounts by age"
        " band, region, language, device and hour, each blurred on purpose with random"
        " noise (differential privacy), so no answer, however it is asked or combined,"
        f" tells whether one particular account liked; a blurred count below {k} shows as"
        f" '<{k}'. The day's privacy budget ε (1 unless the world sets another) is how much"
        " one account may change what a creator sees: at ε = 1, whether or not you liked"
        " changes the odds of any answer by at most a factor of e (about 2.7), and asking"
        " again the same day gives the same answer. Only public totals (likes, views,"
        " shares) are exact."
    )
    if ex is None:
        return base
    lk = ex.likers
    if not ex.own:
        return (
            f"{base} The creator of {ex.name} identifies by name the likers the rules let"
            f" anyone identify; the other likes of its {_n(lk.total, 'like')} reach them only"
            " as those blurred counts."
        )
    if not user.is_creator:
        return (
            f"{base} As a personal account you see totals only ({ex.name}:"
            f" {_n(lk.total, 'like')}); a creator account would add the release."
        )
    return (
        f"{base} For {ex.name} you identify {lk.identifiable_count:,} of"
        f" {_n(lk.total, 'like')} by name; the release adds blurred counts, never names."
    )


def _creator_account(user: User, ex: _Example | None) -> str:
    kind = "a creator account" if user.is_creator else "a personal account"
    extra = " A creator account adds aggregate analytics of its own videos, never names" + (
        ": yours are in the analytics view." if user.is_creator else "; switch to see them."
    )
    if ex is None:
        return (
            f"No more names. You have {kind}; being the creator of a video gives no extra"
            " power over who is identifiable." + extra
        )
    lk = ex.likers
    whose = "" if ex.own else " (its creator is held to the same rule)"
    return (
        f"No more names. You have {kind}; being the creator gives no extra power over who is"
        f" identifiable, so on {ex.name} you identify {lk.identifiable_count:,} of"
        f" {lk.total:,}{whose}, exactly what any account that follows the same people"
        " would." + extra
    )


def _why(user: User, ex: _Example | None, likes: int, followers: int) -> str:
    parts = [
        "To respect private accounts: a private account chose to show its activity only to"
        " approved followers, and a block cuts both ways."
    ]
    if ex is not None:
        lk = ex.likers
        if lk.anonymous:
            parts.append(
                f"On {ex.name} that keeps {_n(lk.anonymous, 'liker')} anonymous to you; their"
                " likes still count in the total."
            )
        else:
            parts.append(
                f"On {ex.name} it keeps no liker anonymous to you right now; were there any,"
                " their likes would still count in the total."
            )
    parts.append(
        f"Your own likes are protected the same way: {_your_likes(user, likes, followers)}."
    )
    parts.append(PRIVATE_RULE_NOTE)
    return " ".join(parts)


# --- the same questions under another platform's preset -----------------------------------


def _preset_answers(rules: Preset, user: User, ex: _Example | None) -> tuple[str, ...]:
    """The six answers under a preset other than the seed: its rule, with the user's numbers
    read under it (the same numbers `likers --rules` and the comparison give)."""
    rule = f"Under the {rules.title} rules, {rules.summary}."
    note = (
        f" (The {rules.title} preset is wholiked's reading of that platform; the README's"
        " presets section says which parts the platform documents.)"
    )
    reasons = ", ".join(liker_reason(r, rules) for r in rules.visible_reasons)
    if ex is None:
        numbers = " You have no videos and no likes on videos you can view, so no numbers yet."
        how = "The like total counts every like and is shown to everyone who can view the video."
        mine = ""
    else:
        lk, a = ex.likers, ex.audience
        numbers = (
            f" For {ex.name} you can identify {lk.identifiable_count:,} of"
            f" {_n(lk.total, 'liker')}; {lk.anonymous:,}"
            f" {'is' if lk.anonymous == 1 else 'are'} {lk.anonymous_who}."
        )
        how = (
            f"As one total that counts every like: {ex.name} shows {_n(lk.total, 'like')} to"
            " everyone who can view it; the likers you can identify are listed newest first"
            f" with the reason ({reasons}); the other {lk.anonymous:,} appear only as a count."
        )
        like = "your like there can" if a.liked else "a like from you there could"
        mine = (
            f" Your own like: {like} be identified by"
            f" {AUDIENCE_WHO.get(a.audience, a.audience).replace('this video', 'the video')}"
            f" (at most {_n(a.audience_at_most, 'user')})."
        )
    privacy_matters = rules.depends_on(When.LIKER_IS_PUBLIC) or rules.depends_on(
        When.ASKER_FOLLOWS_LIKER
    )
    privacy = (
        "Yes."
        if privacy_matters
        else "Only for viewing: a private account's videos are for"
        " its approved followers, but who can see a like does not depend on privacy here."
    )
    creator = (
        "Yes: the creator of a video identifies every liker not across a block."
        if rules.depends_on(When.ASKER_IS_CREATOR)
        else "No: the creator is held to the same rule as everyone."
    )
    extra = " A creator account adds aggregate analytics of its own videos, never names."
    return (
        f"{'No' if ex is None or ex.likers.anonymous else 'Here, yes'}. {rule}{numbers}"
        " Only wholiked's audit view, an omniscient tool for checking the rules, lists every"
        " liker.",
        how,
        f"{privacy} {rule}{mine}{note}",
        _third_party(user, ex),
        f"{creator} {rule}{numbers}{extra}",
        f"{rule} Keeping likers out of sight lets people like without being watched for it."
        f"{numbers}{note}",
    )
