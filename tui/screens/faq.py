"""The seed's six questions answered with the acting user's own numbers.

Pure: it only calls the service and returns plain strings (untrusted text is
cleaned here and again when shown). It has no Textual import, so it can move
to core unchanged.
"""

from dataclasses import dataclass

from core.errors import WholikedError
from core.service import Audience, Likers, User, VideoSummary, Wholiked
from core.text import printable
from tui.widgets.wording import ANONYMOUS_WHO, PRIVATE_RULE_NOTE, plural

QUESTIONS = (
    "Is it possible to see a complete list of the users who liked a video?",
    "How is the number of likes shown?",
    "Do privacy settings affect the visibility of likes?",
    "Can third-party analytics tools reveal who liked a video?",
    "Does a creator account give more detail about who is liking videos?",
    "Why does the platform limit the visibility of individual likers?",
)
FEED_SAMPLE = 100  # videos of the feed looked at for an example when the user has none


@dataclass(frozen=True)
class FaqAnswer:
    question: str
    answer: str


@dataclass(frozen=True)
class _Example:
    """The video the answers use: the acting user's most-liked own video, else a feed video."""

    summary: VideoSummary
    likers: Likers
    audience: Audience | None
    own: bool

    def short_name(self) -> str:
        """'your video 1' or 'video 19 by @dj.pulse'."""
        video = self.summary.video
        if self.own:
            return f"your video {video.id}"
        return f"video {video.id} by @{video.creator_handle}"

    def name(self) -> str:
        """The short name with the caption, for the first mention."""
        caption = printable(self.summary.video.caption, limit=40)
        return f"{self.short_name()} (“{caption}”)" if caption else self.short_name()


def _example(service: Wholiked, user: User) -> _Example | None:
    own = service.creator_videos(user)
    pool, is_own = (own, True) if own else (service.feed(user, limit=FEED_SAMPLE), False)
    if not pool:
        return None
    best = max(pool, key=lambda s: (s.likes, -s.video.id))
    likers = service.likers(best.video.id, user, limit=0)
    try:
        audience = service.audience(best.video.id, user)
    except WholikedError:
        audience = None
    return _Example(best, likers, audience, is_own)


def faq_answers(service: Wholiked, user: User) -> list[FaqAnswer]:
    """Six answers for this acting user; each cites numbers read from the service."""
    ex = _example(service, user)
    handle = f"@{user.handle}"
    privacy = "private" if user.is_private else "public"
    if ex is None:
        numbers = f"{handle} has no videos and can view none, so there are no numbers to show."
        identify = count = privacy_answer = analytics = creator = why = numbers
    else:
        lk = ex.likers
        name = ex.short_name()
        identify = (
            f"For {ex.name()} you can identify {lk.identifiable_count:,} of"
            f" {plural(lk.total, 'liker')}"
            + (
                f"; the other {plural(lk.anonymous, 'like')} {'is' if lk.anonymous == 1 else 'are'}"
                f" from {ANONYMOUS_WHO}."
                if lk.anonymous
                else ", that is all of them."
            )
        )
        count = (
            f"As one total that counts every like, anonymous ones included: {name} shows"
            f" {plural(lk.total, 'like')} to everyone who can view it, of which you see"
            f" {lk.identifiable_count:,} by name and {lk.anonymous:,} only as a count."
        )
        privacy_answer = _privacy_answer(user, privacy, ex)
        analytics = (
            "No. Analytics, in this app and for any third-party tool built on it, are aggregates"
            " (counts by age band, region, language, device, hour) in which a bucket of fewer"
            " than 5 likers is shown as '<5', so they never name anyone. The"
            f" {plural(lk.total, 'like')} on {name} can only be counted that way."
        )
        kind = "a creator account" if user.is_creator else "a personal account"
        creator = (
            f"No more names. You have {kind}; being the creator gives no extra power over who is"
            f" identifiable, so on {name} you identify {lk.identifiable_count:,} of"
            f" {lk.total:,}, exactly what any account following the same people would."
            " A creator account adds aggregate analytics of its own videos, never names."
        )
        why = (
            "To respect private accounts, which chose to show their activity only to approved"
            " followers, and blocks, which cut both ways. On"
            f" {name}, {plural(lk.anonymous, 'liker')} {'is' if lk.anonymous == 1 else 'are'}"
            " anonymous to you for those reasons, shown only in the total. " + PRIVATE_RULE_NOTE
        )
    answers = (identify, count, privacy_answer, analytics, creator, why)
    return [
        FaqAnswer(f"{n}. {q}", a)
        for n, (q, a) in enumerate(zip(QUESTIONS, answers, strict=True), 1)
    ]


def _privacy_answer(user: User, privacy: str, ex: _Example) -> str:
    lk = ex.likers
    parts = [
        f"Yes, both ways. Likers' privacy: on {ex.short_name()}, {plural(lk.anonymous, 'like')}"
        f" {'comes' if lk.anonymous == 1 else 'come'} from accounts you cannot identify."
    ]
    a = ex.audience
    if a is not None:
        who = (
            "everyone who can view the video"
            if a.audience == "everyone"
            else "your approved followers who can view the video"
        )
        like = "your like there is" if a.liked else "a like from you there would be"
        parts.append(
            f"Your privacy: your account is {privacy}, so {like} visible to {who}:"
            f" {plural(a.audience_count, 'user')} besides you."
        )
    return " ".join(parts)
