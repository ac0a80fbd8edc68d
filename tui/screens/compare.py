"""Compare platforms: the selected video and the acting user under every preset, side by side.

One column per preset (seed first), one row per answer: can view, the like total,
identifiable, anonymous, whether the creator can see my like, and the identifiable
likers by reason. A value that differs from the seed's carries "≠" and the last row
says "same as seed" or "differs" in words, so no difference is told by colour alone.
Counts only, never names, exactly what `wholiked compare --json` gives.

The comparison is computed in a thread worker and reloaded with the app's
generation (another acting user, another preset in use, or an action); a result
computed for an older generation is dropped.
"""

from dataclasses import dataclass
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from wholiked.core.answers.wording import RULES_IN_FORCE, error_line, plural
from wholiked.core.errors import NotPermitted
from wholiked.core.service import Comparison, PresetView, User, Wholiked
from wholiked.tui import text
from wholiked.tui.widgets.acting_badge import ActingBadge
from wholiked.tui.widgets.app_state import app_state
from wholiked.tui.widgets.fitted_table import FittedTable
from wholiked.tui.widgets.video_detail import quoted_caption, video_heading

DIFFERS = "≠"
ANSWERS = (
    ("can_view", "Can view"),
    ("total", "Like total"),
    ("identifiable", "Identifiable"),
    ("anonymous", "Anonymous"),
    ("creator_can_see_my_like", "Creator sees my like"),
)


def _reasons(comparison: Comparison) -> tuple[str, ...]:
    """Every visible reason of every rule set compared, in their order (one row each)."""
    views = comparison.views.values()
    return tuple(dict.fromkeys(r for v in views if v is not None for r in v.rules.visible_reasons))


def _answer(view: PresetView | None, key: str) -> object:
    """One answer under a rule set: whether the asker can view the video, or a field of
    what they see (None where they cannot view it)."""
    if key == "can_view":
        return view is not None
    return getattr(view, key) if view is not None else None


def _value(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return f"{value:,}" if isinstance(value, int) else str(value)


def comparison_rows(comparison: Comparison) -> list[tuple[str, list[str]]]:
    """(label, one cell per preset) for every row of the table, in words.

    "≠" follows a value that differs from the seed's; "—" stands where the preset has no
    such reason or the asker cannot view the video under it.
    """
    data = comparison.views
    seed = data.get("seed")
    rows: list[tuple[str, list[str]]] = []
    for key, label in ANSWERS:
        cells = []
        for name, view in data.items():
            value = _answer(view, key)
            seeds = _answer(seed, key) if seed is not None else False
            mark = f" {DIFFERS}" if name != "seed" and value != seeds else ""
            cells.append(_value(value) + mark)
        rows.append((label, cells))
    rows.append(("By reason:", [""] * len(data)))
    for reason in _reasons(comparison):
        cells = [
            _value(view.reasons.get(reason)) if view is not None else "—" for view in data.values()
        ]
        rows.append((f"  {reason}", cells))
    verdicts = [
        "the seed"
        if name == "seed"
        else "differs"
        if comparison.differs_from_seed(name)
        else "same"
        for name in data
    ]
    rows.append(("vs the seed rule", verdicts))
    return rows


class CompareScreen(Screen[None]):
    """The video under every preset; Esc (or C) goes back."""

    BINDINGS = [Binding("escape,C", "close", "Back", id="compare-close")]

    @dataclass
    class Loaded(Message):
        """A comparison (or the error instead) for the generation it was asked in."""

        generation: int
        comparison: Comparison | None
        error: Exception | None = None

    def __init__(self, video_id: int) -> None:
        super().__init__()
        self.video_id = video_id
        self.comparison: Comparison | None = None

    def compose(self) -> ComposeResult:
        yield ActingBadge("Compare platforms", id="badge")
        with VerticalScroll(id="compare-body"):
            yield Static(id="compare-heading", classes="heading")
            yield Static(id="compare-in-use")
            table = FittedTable(id="compare-table", cursor_type="row", zebra_stripes=True)
            yield table
            yield Static(id="compare-legend", classes="note")
            yield Static(id="compare-presets")
        yield Footer()

    @property
    def table(self) -> DataTable[Any]:
        return self.query_one("#compare-table", DataTable)

    def on_mount(self) -> None:
        self.table.add_column(text.cell(""), key="label")
        rule_sets = app_state(self).service.rule_sets
        for name in rule_sets:
            self.table.add_column(text.cell(name, justify="right"), key=name)
        self.query_one("#compare-presets", Static).update(
            text.lines(*(f"• {p.title}: {p.summary}." for p in rule_sets.values()))
        )
        self.watch(self.app, "generation", self._reload, init=False)
        self._reload()
        self.table.focus()

    def _say(self, heading: Content, in_use: Content | str = "") -> None:
        self.query_one("#compare-heading", Static).update(heading)
        self.query_one("#compare-in-use", Static).update(in_use)

    def _reload(self, _generation: int | None = None) -> None:
        state = app_state(self)
        self._say(text.content(f"Comparing video {self.video_id} under every preset…"))
        self._compute(state.service, state.acting, state.generation)

    @work(thread=True, exclusive=True, group="compare", exit_on_error=False)
    def _compute(self, service: Wholiked, acting: User, generation: int) -> None:
        try:
            result = service.compare(self.video_id, acting)
        except Exception as exc:  # said on the screen, never a crash
            self.post_message(self.Loaded(generation, None, exc))
            return
        self.post_message(self.Loaded(generation, result))

    def on_compare_screen_loaded(self, message: Loaded) -> None:
        message.stop()
        state = app_state(self)
        if message.generation != state.generation:
            return  # another user, preset or change since: a newer comparison is on its way
        table = self.table
        table.clear()
        self.comparison = message.comparison
        if message.comparison is None:
            self._failed(message.error, state.acting)
            return
        comparison = message.comparison
        video = comparison.video
        total = next((v.total for v in comparison.views.values() if v is not None), 0)
        self._say(
            text.styled(
                "[b]$heading · $total[/b]\n$caption\nWhat $handle sees of it under each"
                " platform's rules (counts only, never names):",
                heading=video_heading(video),
                total=plural(total, "like"),
                caption=quoted_caption(video.caption),
                handle=text.handle(comparison.asker.handle),
            ),
            text.content(
                f"Your session uses the {state.service.rules.title} rules (R to change them)."
            ),
        )
        for label, cells in comparison_rows(comparison):
            table.add_row(text.cell(label), *(text.cell(c, justify="right") for c in cells))
        table.focus()
        self.query_one("#compare-legend", Static).update(
            text.content(
                f"{DIFFERS} marks a value that differs from the seed rule's; the last row says"
                f" whether the preset's answer is the same as the seed's. {RULES_IN_FORCE}"
            )
        )

    def _failed(self, error: Exception | None, acting: User) -> None:
        if isinstance(error, NotPermitted):
            self._say(
                text.styled("[b]Not permitted:[/b] $error.", error=str(error)),
                text.content(
                    f"Every preset lets a user view a video the same way (rule 1), and"
                    f" @{acting.handle} cannot view video {self.video_id} under any of them."
                    " Switch user (u) or go back (Esc)."
                ),
            )
            return
        label = app_state(self).service.label
        self._say(text.content(error_line(error, label) if error else "Nothing to compare."))

    def action_close(self) -> None:
        self.dismiss(None)
