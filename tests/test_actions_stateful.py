"""A stateful property test: random actions, then every policy invariant still holds."""

import tempfile
from pathlib import Path

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from tests.test_counters import _counters, _fresh_counts
from tests.test_policy_properties import _check
from tests.worlds import World
from wholiked.core.errors import BadInput, NotPermitted
from wholiked.core.service import Wholiked
from wholiked.core.store.counters import has_counters
from wholiked.core.store.database import open_database

HANDLES = ["ana", "ben", "cy", "dee", "eve"]
users = st.sampled_from(HANDLES)


class ActionsMachine(RuleBasedStateMachine):
    """The service and a mirror World receive the same actions; answers must agree."""

    def __init__(self) -> None:
        super().__init__()
        self.world = World()
        for i, h in enumerate(HANDLES):
            self.world.user(h, private=i % 2 == 1, creator=i < 2)
        self.world.video("ana")
        self.world.video("ben")
        self.folder = tempfile.TemporaryDirectory()
        path = self.world.write(Path(self.folder.name) / "w.db")
        self.service = Wholiked(open_database(path, writable=True))

    def teardown(self) -> None:
        self.service.close()
        self.folder.cleanup()

    def _try(self, call, mirror) -> None:
        try:
            outcome = call()
        except (BadInput, NotPermitted):
            return
        if outcome.changed:  # an action already in effect changes nothing
            mirror()

    def _id(self, h: str) -> int:
        return self.world.id(h)

    @rule(actor=users, video=st.sampled_from([1, 2]))
    def like(self, actor: str, video: int) -> None:
        self._try(
            lambda: self.service.like(self.service.user(actor), video),
            lambda: self.world.like(actor, video, "2026-11-20T12:00:00Z"),
        )

    @rule(actor=users, video=st.sampled_from([1, 2]))
    def unlike(self, actor: str, video: int) -> None:
        self._try(
            lambda: self.service.unlike(self.service.user(actor), video),
            lambda: self.world.likes.pop((video, self._id(actor))),
        )

    @rule(actor=users, other=users)
    def follow(self, actor: str, other: str) -> None:
        private = self.world.users[other]["is_private"]
        self._try(
            lambda: self.service.follow(self.service.user(actor), self.service.user(other)),
            lambda: self.world.follow(actor, other, "pending" if private else "approved"),
        )

    @rule(actor=users, other=users)
    def unfollow(self, actor: str, other: str) -> None:
        self._try(
            lambda: self.service.unfollow(self.service.user(actor), self.service.user(other)),
            lambda: self.world.follows.pop((self._id(actor), self._id(other))),
        )

    @rule(actor=users, other=users, yes=st.booleans())
    def answer(self, actor: str, other: str, yes: bool) -> None:
        key = (self._id(other), self._id(actor))

        def mirror() -> None:
            if yes:
                self.world.follows[key] = "approved"
            else:
                del self.world.follows[key]

        run = self.service.approve if yes else self.service.deny
        self._try(lambda: run(self.service.user(actor), self.service.user(other)), mirror)

    @rule(actor=users, other=users)
    def block(self, actor: str, other: str) -> None:
        a, b = self._id(actor), self._id(other)

        def mirror() -> None:
            self.world.blocks.add((a, b))
            self.world.follows.pop((a, b), None)
            self.world.follows.pop((b, a), None)

        self._try(
            lambda: self.service.block(self.service.user(actor), self.service.user(other)), mirror
        )

    @rule(actor=users, other=users)
    def unblock(self, actor: str, other: str) -> None:
        self._try(
            lambda: self.service.unblock(self.service.user(actor), self.service.user(other)),
            lambda: self.world.blocks.discard((self._id(actor), self._id(other))),
        )

    @rule(actor=users, private=st.booleans())
    def set_private(self, actor: str, private: bool) -> None:
        def mirror() -> None:
            self.world.users[actor]["is_private"] = int(private)
            if not private:
                for key, status in self.world.follows.items():
                    if key[1] == self._id(actor) and status == "pending":
                        self.world.follows[key] = "approved"

        self._try(lambda: self.service.set_private(self.service.user(actor), private), mirror)

    @invariant()
    def policy_agrees_with_the_rules(self) -> None:
        _check(self.world, self.service, page_size=2, rules="seed")

    @invariant()
    def counters_are_exact(self) -> None:
        conn = self.service.db.conn
        assert has_counters(conn)
        assert _counters(conn) == _fresh_counts(conn)


ActionsMachine.TestCase.settings = settings(max_examples=25, stateful_step_count=15, deadline=None)
test_actions_keep_the_policy = ActionsMachine.TestCase
