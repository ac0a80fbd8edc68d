"""Platform: the platform report for the open world, one bar group per rule set (P).

The omniscient audit of every video as its creator (rules 7 and 9), added up, under every
preset and the session's rule files: how many likes creators can identify, and how many
anonymous likes they can name without seeing them. Labelled as the audit it is.

Computed in a thread worker that posts its progress (a bar fills as the steps pass) and
its result; a result for an older generation (an action changed the world meanwhile) is
dropped and the report computed again.
"""

from dataclasses import dataclass

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, ProgressBar, Static

from wholiked.core.answers.wording import error_line, plural
from wholiked.core.service import PlatformReport, Wholiked, share_bar, share_percent
from wholiked.tui import text
from wholiked.tui.widgets.app_state import app_state

BAR = 20
LABELS = ("identifiable to the creator", "nameable unseen (rule 9)")
LABEL_WIDTH = max(len(label) for label in LABELS)
HEADING = "Platform audit — omniscient, not what any user sees"


def bar_groups(found: PlatformReport) -> list[Content]:
    """One group per rule set: its title, a bar of the likes creators identify, a bar of
    the anonymous likes they can name unseen; numbers in words beside each bar."""
    groups = []
    for key, r in found.rule_sets.items():
        t = r.totals
        title = text.styled("[b]$key[/b] — $title", key=key, title=r.rules.title)
        seen = Content.assemble(
            LABELS[0].ljust(LABEL_WIDTH) + "  ",
            Content.styled(share_bar(t.identifiable_share, BAR), "$accent"),
            f" {_pct(t.identifiable, t.likes)}  {t.identifiable:,} of {plural(t.likes, 'like')}",
        )
        named = Content.assemble(
            LABELS[1].ljust(LABEL_WIDTH) + "  ",
            Content.styled(share_bar(t.exposed_share, BAR), "$error"),
            f" {_pct(t.effectively_identifiable_likes, t.anonymous)}"
            f"  {t.effectively_identifiable_likes:,} of {plural(t.anonymous, 'anonymous like')},"
            f" on {plural(t.effectively_identifiable_videos, 'video')}",
        )
        groups.append(text.lines(title, seen, named))
    return groups


class PlatformScreen(Screen[None]):
    """The platform report; Esc (or P) goes back."""

    BINDINGS = [Binding("escape,P", "close", "Back", id="platform-close")]

    @dataclass
    class Progressed(Message):
        generation: int
        step: str
        done: int
        total: int

    @dataclass
    class Loaded(Message):
        generation: int
        report: PlatformReport | None
        error: Exception | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="platform-body"):
            yield Static(text.styled("[b]$heading[/b]", heading=HEADING), id="platform-heading")
            yield Static(id="platform-status")
            yield ProgressBar(total=1, show_eta=False, id="platform-progress")
            yield Static(id="platform-groups")
        yield Footer()

    def on_mount(self) -> None:
        self.watch(self.app, "generation", self._reload, init=False)
        self._reload()

    def _reload(self, _generation: int | None = None) -> None:
        state = app_state(self)
        self.query_one("#platform-groups", Static).update("")
        self.query_one("#platform-progress", ProgressBar).display = True
        self._status("Adding up every video's audit as its creator…")
        self._compute(state.service, state.generation)

    def _status(self, line: str) -> None:
        self.query_one("#platform-status", Static).update(text.content(line))

    @work(thread=True, exclusive=True, group="platform", exit_on_error=False)
    def _compute(self, service: Wholiked, generation: int) -> None:
        def progress(step: str, done: int, total: int) -> None:
            self.post_message(self.Progressed(generation, step, done, total))

        try:
            found = service.report(progress=progress)
        except Exception as exc:  # said on the screen, never a crash
            self.post_message(self.Loaded(generation, None, exc))
            return
        self.post_message(self.Loaded(generation, found))

    def on_platform_screen_progressed(self, message: Progressed) -> None:
        message.stop()
        if message.generation != app_state(self).generation:
            return
        bar = self.query_one("#platform-progress", ProgressBar)
        bar.update(total=max(1, message.total), progress=message.done)
        self._status(f"Adding up every video's audit as its creator: {message.step}…")

    def on_platform_screen_loaded(self, message: Loaded) -> None:
        message.stop()
        state = app_state(self)
        if message.generation != state.generation:
            return  # the world changed meanwhile: a newer report is on its way
        self.query_one("#platform-progress", ProgressBar).display = False
        found = message.report
        if found is None:
            error = message.error
            self._status(error_line(error, state.service.label) if error else "No report.")
            return
        first = next(iter(found.rule_sets.values()))
        self._status(
            f"{plural(first.totals.videos, 'video')} and {plural(first.totals.likes, 'like')},"
            f" under {plural(len(found.rule_sets), 'rule set')}."
            " The second bar is the share of anonymous likes whose creator can tell who"
            " gave them without seeing them (too few candidates, or every candidate liked)."
        )
        spaced: list[Content | str] = []
        for group in bar_groups(found):
            spaced += [group, ""]
        self.query_one("#platform-groups", Static).update(text.lines(*spaced[:-1]))

    def action_close(self) -> None:
        self.dismiss(None)


def _pct(part: int, whole: int) -> str:
    return share_percent(part, whole).rjust(6)
