"""The app's changes: what the keys act on, which of them apply, asking before what cannot
be undone in one key, and running one change at a time in a worker.

Mixed into `WholikedApp`: a change runs in a thread worker, then notifies and reloads
every view; how the acting user stands with the person the keys act on is read in a
worker too, for the words the footer keys say (Follow or Unfollow, Block or Unblock).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import work
from textual.message import Message

from wholiked.core.actions import Outcome
from wholiked.core.answers.wording import block_warning, public_warning
from wholiked.core.errors import NotPermitted
from wholiked.core.service import BlockCost, PublicCost, Relation, User
from wholiked.tui import changes, text
from wholiked.tui.changes import Change
from wholiked.tui.screens.confirm import ConfirmScreen
from wholiked.tui.screens.people import PeopleScreen
from wholiked.tui.screens.perspective import PerspectiveScreen, Targets
from wholiked.tui.widgets.paged_table import PagedTable

if TYPE_CHECKING:
    from textual.app import App

    from wholiked.core.service import Wholiked

    _App = App[None]
else:
    _App = object

CHANGE_ACTIONS = frozenset({"like", "follow", "block", "privacy", "requests"})
ASKED_FIRST = frozenset({"block"})
"""Verbs on an account that cannot be undone in one key: the app asks before them."""


class Changing(_App):
    """Mixed into the App (an App to the type checker): needs `service`, `acting`,
    `generation`, `_error` and `_reload_everything`."""

    if TYPE_CHECKING:
        service: Wholiked
        acting: User
        generation: int

        def _error(self, exc: BaseException) -> str: ...
        def _reload_everything(self, fresh: User | None) -> None: ...

    @dataclass
    class ChangeDone(Message):
        """A change ran in a worker: its outcome or its error, and the actor read again."""

        change: Change
        outcome: Outcome | None
        error: str
        fresh: User | None

    @dataclass
    class CostRead(Message):
        """What a change would do, read in a worker, to ask about before making it."""

        generation: int
        cost: BlockCost | PublicCost | None
        error: str

    @dataclass
    class RelationRead(Message):
        """How the acting user stands with the person f and b act on (what their footer
        keys say: Follow or Unfollow, Block or Unblock), read in a worker."""

        generation: int
        person: int
        relation: Relation | None

    def start_changing(self) -> None:
        self._changing = False
        self._changed_at = -1  # the generation an action's reload started
        self._shown_targets: tuple[Any, ...] = ()
        self._relation: tuple[int, int, Relation] | None = None  # (generation, person, ...)

    # --- changes ---------------------------------------------------------------------------

    def _targets(self) -> Targets:
        """What the keys act on, in the current perspective (not in a dialog above it)."""
        for screen in reversed(self.screen_stack):
            if isinstance(screen, PeopleScreen) and screen.is_mounted:
                return screen.targets()  # the People screen, under a question or not
        base = self.screen_stack[0] if self.screen_stack else None
        if isinstance(base, PerspectiveScreen) and base.is_mounted:
            return base.targets()
        return Targets()  # none yet, or one being composed (a switch of mode)

    def _change_applies(self, action: str, parameters: tuple[object, ...]) -> bool:
        if action in ("privacy", "requests"):
            want = parameters[0] if parameters else None
            return want is None or (want == "private") != self.acting.is_private
        targets = self._targets()
        if action == "like":
            video = targets.video
            want = parameters[0] if parameters else None
            return video is not None and (want is None or (want == "unlike") == video.liked)
        person = targets.person
        if person is None or person == self.acting.id:
            return False
        if not parameters:
            return True
        # Which word the key says (Follow or Unfollow...): the other one's binding is hidden.
        relation = self.relation_with(person)
        if action == "follow":
            now = relation is not None and relation.following is not None
            return (parameters[0] == "unfollow") == now
        now = relation is not None and relation.you_blocked
        return (parameters[0] == "unblock") == now

    def relation_with(self, person: int) -> Relation | None:
        """How the acting user stands with this person, when read for the current state."""
        known = self._relation
        if known is None or known[:2] != (self.generation, person):
            return None
        return known[2]

    def targets_changed(self) -> None:
        """Refresh the footer when the keys that apply changed (not on every cursor move:
        the footer rebuilds itself on each refresh); read how the acting user stands with
        the person f and b act on when not known yet."""
        person = self._targets().person
        if person is not None and person != self.acting.id and self.relation_with(person) is None:
            self._read_relation(person, self.generation)
        shown = (
            self.screen,
            self.focused,
            self.acting.is_private,
            self._change_applies("like", ("like",)),
            self._change_applies("like", ("unlike",)),
            self._change_applies("follow", ("follow",)),
            self._change_applies("follow", ("unfollow",)),
            self._change_applies("block", ("unblock",)),
        )
        if shown != self._shown_targets:
            self._shown_targets = shown
            self.refresh_bindings()

    @work(thread=True, exclusive=True, group="relation", exit_on_error=False)
    def _read_relation(self, person: int, generation: int) -> None:
        try:
            relation = self.service.relation(self.acting, self.service.user_by_id(person))
        except Exception:  # the keys keep their plain words; the action says what is wrong
            relation = None
        self.post_message(self.RelationRead(generation, person, relation))

    def on_changing_relation_read(self, message: RelationRead) -> None:
        if message.relation is not None and message.generation == self.generation:
            self._relation = (message.generation, message.person, message.relation)
            self.targets_changed()

    def action_like(self, _want: str = "") -> None:
        video = self._targets().video
        if video is not None:
            self.run_change(changes.like(video.video.id, liked=video.liked))

    def action_follow(self, _want: str = "") -> None:
        person = self._targets().person
        if person is not None and person != self.acting.id:
            self.run_change(changes.toggle_follow(person))

    def action_block(self, _want: str = "") -> None:
        person = self._targets().person
        if person is None or person == self.acting.id:
            return
        if self.service.writable:
            self._read_cost(person, self.generation)  # unblock at once, block after asking
        else:
            self.run_change(changes.toggle_block(person))  # refused in words: nothing to ask

    def action_privacy(self, _want: str = "") -> None:
        if self.acting.is_private and self.service.writable:
            self._read_cost(None, self.generation)  # going public: ask first
        else:
            self.run_change(changes.set_private(not self.acting.is_private))

    def act_on(self, verb: str, user_id: int) -> None:
        """Follow, unfollow, block or unblock an account (the palette); a block asks first."""
        if verb in ASKED_FIRST and self.service.writable:
            self._read_cost(user_id, self.generation)
        else:
            self.run_change(changes.on_user(verb, user_id))

    # --- asking before what cannot be undone in one key ------------------------------------

    @work(thread=True, exclusive=True, group="ask", exit_on_error=False)
    def _read_cost(self, user_id: int | None, generation: int) -> None:
        """What blocking `user_id` (None: going public) would do, read off the UI thread."""
        try:
            actor = self.service.user_by_id(self.acting.id)
            if user_id is None:
                cost: BlockCost | PublicCost = self.service.public_cost(actor)
            else:
                cost = self.service.block_cost(actor, self.service.user_by_id(user_id))
        except Exception as exc:  # a readable line, never a crash
            self.post_message(self.CostRead(generation, None, self._error(exc)))
            return
        self.post_message(self.CostRead(generation, cost, ""))

    def on_changing_cost_read(self, message: CostRead) -> None:
        cost = message.cost
        if cost is None:
            self.notify(
                text.clean(message.error), title="Could not check", severity="error", markup=False
            )
            return
        if message.generation != self.generation:
            return  # the user or the data changed meanwhile: the key's target may have too
        if isinstance(cost, PublicCost):
            question = ConfirmScreen(
                "Make your account public?",
                public_warning(cost.pending, cost.likes),
                "Go public",
            )
            self.push_screen(question, self._confirmed(changes.set_private(False)))
            return
        other = cost.other
        if cost.relation.you_blocked:
            self.run_change(changes.on_user("unblock", other.id))  # undone as easily: no question
            return
        question = ConfirmScreen(
            f"Block @{other.handle}?",
            block_warning(
                other.handle,
                following=cost.relation.following,
                followed_by=cost.relation.followed_by,
                videos=cost.videos,
            ),
            "Block",
        )
        self.push_screen(question, self._confirmed(changes.on_user("block", other.id)))

    def _confirmed(self, change: Change) -> Callable[[bool | None], None]:
        def answered(yes: bool | None) -> None:
            if yes:
                self.run_change(change)

        return answered

    def run_change(self, change: Change) -> None:
        """Run one change in a worker; then notify and reload every view. One at a time."""
        if self._changing:
            self.notify("Still saving the previous change…", severity="warning", markup=False)
            return
        self._changing = True
        self._apply(change, self.acting)

    @work(thread=True, group="change", exit_on_error=False)
    def _apply(self, change: Change, actor: User) -> None:
        outcome, error = None, ""
        try:
            outcome = change.run(self.service, actor)
        except Exception as exc:  # refused or failed: said in the app, never a crash
            error = self._error(exc)
            if isinstance(exc, NotPermitted):
                error = f"Not permitted: {error}"
        try:
            fresh = self.service.user_by_id(actor.id)
        except Exception:
            fresh = None
        self.post_message(self.ChangeDone(change, outcome, error, fresh))

    def on_changing_change_done(self, message: ChangeDone) -> None:
        self._changing = False
        if message.outcome is not None:
            self.notify(text.clean(message.outcome.message), markup=False)
        else:
            hint = "" if self.service.writable else " W reopens it writable."
            self.notify(
                text.clean(message.error) + hint,
                title=f"Could not {message.change.what}",
                severity="error",
                markup=False,
            )
        fresh = message.fresh
        self._reload_everything(fresh if fresh is not None and fresh.id == self.acting.id else None)
        self._changed_at = self.generation

    def on_paged_table_lost(self, message: PagedTable.Lost) -> None:
        """The row an action was on left its list (a block, an answered request): say so."""
        if self.generation == self._changed_at and message.label:
            self.notify(
                f"{text.clean(message.label)} is no longer in this list after that change;"
                " the cursor is on the row that followed it.",
                markup=False,
            )
