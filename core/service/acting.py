"""What an acting user can change through the facade, and what a change would do first:
how two users stand, and what a block or going public would cost. Each action is one
transaction (`core/actions.py`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wholiked.core.service.door import Door

if TYPE_CHECKING:
    from wholiked.core.actions import Outcome
    from wholiked.core.answers.relations import BlockCost, PublicCost, Relation
    from wholiked.core.store.records import User


class Acting(Door):
    """Relationships, the cost of a change, and the actions."""

    # --- relationships, and what a change would do ------------------------------------

    def relation(self, actor: User, other: User) -> Relation:
        from wholiked.core.answers import relations

        return relations.relation(self.db, actor, other)

    def block_cost(self, actor: User, other: User) -> BlockCost:
        from wholiked.core.answers import relations

        return relations.block_cost(self.db, actor, other)

    def public_cost(self, user: User) -> PublicCost:
        from wholiked.core.answers import relations

        return relations.public_cost(self.db, user)

    # --- actions ----------------------------------------------------------------------

    def like(self, actor: User, video_id: int) -> Outcome:
        from wholiked.core import actions

        return actions.like(self.db, actor, video_id, rules=self.rules)

    def unlike(self, actor: User, video_id: int) -> Outcome:
        from wholiked.core import actions

        return actions.unlike(self.db, actor, video_id)

    def follow(self, actor: User, other: User) -> Outcome:
        from wholiked.core import actions

        return actions.follow(self.db, actor, other)

    def unfollow(self, actor: User, other: User) -> Outcome:
        from wholiked.core import actions

        return actions.unfollow(self.db, actor, other, rules=self.rules)

    def toggle_follow(self, actor: User, other: User) -> Outcome:
        from wholiked.core import actions

        return actions.toggle_follow(self.db, actor, other, rules=self.rules)

    def approve(self, actor: User, other: User) -> Outcome:
        from wholiked.core import actions

        return actions.approve(self.db, actor, other, rules=self.rules)

    def deny(self, actor: User, other: User) -> Outcome:
        from wholiked.core import actions

        return actions.deny(self.db, actor, other)

    def block(self, actor: User, other: User) -> Outcome:
        from wholiked.core import actions

        return actions.block(self.db, actor, other)

    def unblock(self, actor: User, other: User) -> Outcome:
        from wholiked.core import actions

        return actions.unblock(self.db, actor, other)

    def toggle_block(self, actor: User, other: User) -> Outcome:
        from wholiked.core import actions

        return actions.toggle_block(self.db, actor, other)

    def set_private(self, actor: User, private: bool) -> Outcome:
        from wholiked.core import actions

        return actions.set_private(self.db, actor, private, rules=self.rules)
