"""Command palette entries from the data: 'Act as @x', 'Open video N: caption', and
'Follow @x' (unfollow, block, unblock) when the query starts with that verb.

The palette finds its own commands by their words: "act as" (or "act as mi") lists
accounts to act as, "open video" (or "open video 5", "video glaze") videos to open,
as well as plain handles and captions. A verb offers only what can succeed: "follow
@x" when you already follow them offers "Unfollow @x", "block" an account you blocked
offers "Unblock", and nothing is offered to follow across a block they made.

Searches run in a thread (the service is synchronous); a failed search is one
error notification. Every prompt is a `Content` built from cleaned text,
highlighted by offsets, so no display name or caption is ever parsed as markup.
"""

import asyncio
from functools import partial

from textual.command import Hit, Hits, Matcher, Provider
from textual.content import Content

from wholiked.core.answers.wording import badges, error_line, plural
from wholiked.core.service import Relation, User, VideoSummary
from wholiked.tui import changes, text
from wholiked.tui.widgets.app_state import app_state

USER_HITS = 12
VIDEO_HITS = 12
ACT_AS = ("act as",)
OPEN_VIDEO = ("open video", "open", "video")


def after_phrase(query: str, phrases: tuple[str, ...]) -> str | None:
    """What follows a command's words in the query: 'act as mi' -> 'mi'; '' when the query
    is those words or how they begin ('act a'); None when it is not that command."""
    words = " ".join(query.lower().split())
    for phrase in phrases:
        if len(words) >= 3 and phrase.startswith(words):
            return ""
        if words.startswith(phrase + " "):
            return words[len(phrase) + 1 :]
    return None


def highlighted(matcher: Matcher, plain: str) -> tuple[float, Content]:
    """The match score of plain text and a Content with the matched letters styled."""
    score, offsets = matcher.fuzzy_search.match(matcher.query, plain)
    content = Content(plain)
    for offset in offsets:
        if not plain[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return score, content


class WholikedCommands(Provider):
    """Users to act as and videos to open, found by the service as you type."""

    async def search(self, query: str) -> Hits:
        query = query.strip()
        if not query:
            return
        state = app_state(self.app)
        service, acting = state.service, state.acting
        matcher = self.matcher(query)
        verb, _, rest = query.partition(" ")
        verb = verb.lower()
        act_as = after_phrase(query, ACT_AS)
        open_video = after_phrase(query, OPEN_VIDEO)
        try:
            if verb in changes.USER_VERBS and rest.strip():
                found = await asyncio.to_thread(self._verb_targets, verb, rest)
                for user, offered, relation in found:
                    yield self._verb_hit(matcher, offered, user, relation)
            users = await asyncio.to_thread(
                partial(service.search_users, query if act_as is None else act_as, limit=USER_HITS)
            )
            for user in users:
                yield self._user_hit(matcher, user)
            if open_video == "":
                videos = await asyncio.to_thread(partial(service.feed, acting, limit=VIDEO_HITS))
            else:
                videos = await asyncio.to_thread(
                    partial(
                        service.search_videos,
                        acting,
                        query if open_video is None else open_video,
                        limit=VIDEO_HITS,
                    )
                )
        except Exception as exc:  # one readable line, never a crash
            self.app.notify(
                text.clean(error_line(exc, service.label)),
                title="Search failed",
                severity="error",
                markup=False,
            )
            return
        for summary in videos:
            yield self._video_hit(matcher, summary)

    def _verb_targets(self, verb: str, rest: str) -> list[tuple[User, str, Relation]]:
        """Accounts matching the text, each with the action on it that can succeed
        (runs in a thread)."""
        state = app_state(self.app)
        service, acting = state.service, state.acting
        found = []
        for user in service.search_users(rest, limit=USER_HITS):
            if user.id == acting.id:
                continue
            relation = service.relation(acting, user)
            offered = changes.offered_verb(verb, relation)
            if offered is not None:
                found.append((user, offered, relation))
        return found

    def _verb_hit(self, matcher: Matcher, verb: str, user: User, relation: Relation) -> Hit:
        name = text.clean(user.display_name, limit=30)
        plain = f"{verb.title()} {text.handle(user.handle)}" + (f" ({name})" if name else "")
        note = ""
        if verb == "unfollow" and relation.following == "pending":
            note = "withdraws your pending follow request · "
        elif verb == "block":
            note = "asks first: a block removes follows both ways · "
        score, prompt = highlighted(matcher, plain)
        return Hit(
            max(score, 0.06),
            prompt,
            partial(app_state(self.app).act_on, verb, user.id),
            text=plain,
            help=text.palette_markup(note + badges(user)),
        )

    def _user_hit(self, matcher: Matcher, user: User) -> Hit:
        name = text.clean(user.display_name, limit=30)
        plain = f"Act as {text.handle(user.handle)}" + (f" ({name})" if name else "")
        score, prompt = highlighted(matcher, plain)
        return Hit(
            max(score, 0.05),
            prompt,
            partial(self._act_as, user),
            text=plain,
            help=text.palette_markup(badges(user)),
        )

    def _act_as(self, user: User) -> None:
        app_state(self.app).act_as(user.id)  # read again: this copy may be stale

    def _video_hit(self, matcher: Matcher, summary: VideoSummary) -> Hit:
        video = summary.video
        caption = text.clean(video.caption, limit=50) or "(no caption)"
        plain = f"Open video {video.id}: {caption}"
        score, prompt = highlighted(matcher, plain)
        return Hit(
            max(score, 0.04),
            prompt,
            partial(self.app.open_video, video_id=video.id, creator_id=video.creator_id),  # type: ignore[attr-defined]
            text=plain,
            help=text.palette_markup(
                f"by @{video.creator_handle} · {plural(summary.likes, 'like')}"
            ),
        )
