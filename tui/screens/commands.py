"""Command palette entries from the data: 'Act as @x', 'Open video N: caption', and
'Follow @x' (unfollow, block, unblock) when the query starts with that verb.

Searches run in a thread (the service is synchronous); a failed search is one
error notification. Every prompt is a `Content` built from cleaned text,
highlighted by offsets, so no display name or caption is ever parsed as markup.
"""

import asyncio
from functools import partial

from textual.command import Hit, Hits, Matcher, Provider
from textual.content import Content

from wholiked.core.answers.wording import badges, error_line, plural
from wholiked.core.service import User, VideoSummary
from wholiked.tui import changes, text
from wholiked.tui.widgets.app_state import app_state

USER_HITS = 12
VIDEO_HITS = 12


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
        try:
            if verb in changes.USER_VERBS and rest.strip():
                found = await asyncio.to_thread(
                    partial(service.search_users, rest, limit=USER_HITS)
                )
                for user in found:
                    if user.id != acting.id:
                        yield self._verb_hit(matcher, verb, user)
            users = await asyncio.to_thread(partial(service.search_users, query, limit=USER_HITS))
            for user in users:
                yield self._user_hit(matcher, user)
            videos = await asyncio.to_thread(
                partial(service.search_videos, acting, query, limit=VIDEO_HITS)
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

    def _verb_hit(self, matcher: Matcher, verb: str, user: User) -> Hit:
        name = text.clean(user.display_name, limit=30)
        plain = f"{verb.title()} {text.handle(user.handle)}" + (f" ({name})" if name else "")
        score, prompt = highlighted(matcher, plain)
        return Hit(
            max(score, 0.06),
            prompt,
            partial(app_state(self.app).run_change, changes.on_user(verb, user.id)),
            text=plain,
            help=text.palette_markup(badges(user)),
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
            partial(self.app.open_video, video.id, video.creator_id),  # type: ignore[attr-defined]
            text=plain,
            help=text.palette_markup(
                f"by @{video.creator_handle} · {plural(summary.likes, 'like')}"
            ),
        )
