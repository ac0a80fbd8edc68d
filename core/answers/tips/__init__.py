"""Engagement tips computed from the data, each citing the numbers it rests on (README,
"Analytics and tips").

`tips(db, user, k=5)` returns a list of `Tip` records (`id`, `perspective`, `title`,
`detail`, `evidence`; `forms.json_form` writes each as `wholiked tips --json` prints it) in
a fixed order, each tip only when it applies. Ids, in order:

creator perspective (creator accounts with at least one video):
  best_content, calls_to_action, trending_sounds, trending_hashtags,
  unanswered_comments, posting_schedule, collaboration, anonymous_share
  (a personal account with videos gets `creator_account` instead: analytics and
  these tips are for creator accounts)
viewer perspective (every user):
  like_audience, creators_who_see, pending_requests, privacy_switch

Privacy: a tip never names or singles out an account the policy hides from the user.
Counts over other people (followers' active hours, shared likers) are aggregates of at
least k distinct accounts and follow the analytics rules (nothing when 0 < anonymous
< k); platform-wide figures (trending) count only videos the user can view, whose
like totals they see anyway (rule 2). Only creators are named, and only where the
user can see them: creators of videos the user liked, and creators whose videos the
user can view (collaboration). `detail` may quote a caption (cleaned of control
characters by `core.text.printable`, but still untrusted: show it as plain text).
"""

from typing import Literal

from wholiked.core.answers.analytics import check_k
from wholiked.core.answers.tips.common import Tip
from wholiked.core.answers.tips.creator import CREATOR_TIPS, creator_tips
from wholiked.core.answers.tips.viewer import VIEWER_TIPS, viewer_tips
from wholiked.core.release.store import ReleaseStore
from wholiked.core.rules.presets import SEED, Preset
from wholiked.core.store.database import Database
from wholiked.core.store.records import User, user_by_id

TIP_IDS = (*CREATOR_TIPS, "creator_account", *VIEWER_TIPS)

Perspective = Literal["creator", "viewer"]


def tips(
    db: Database,
    user: User,
    *,
    k: int = 5,
    perspective: Perspective | None = None,
    rules: Preset = SEED,
    store: ReleaseStore | None = None,
) -> list[Tip]:
    """Every tip that applies to the user, creator tips first, in the order of TIP_IDS.

    With a perspective, only that perspective's tips are computed (the feed never pays
    for creator tips it would not show). What the user can see follows the preset
    (`rules`): who they can identify, who can identify them, rule 9. The posting
    schedule reads the release through `store` (the facade's).
    """
    k = check_k(k)
    found: list[Tip] = []
    with db.snapshot() as conn:
        user = user_by_id(db, user.id)  # current privacy and account type
        if perspective in (None, "creator"):
            found += creator_tips(db, user, k, rules, store)
        if perspective in (None, "viewer"):
            found += viewer_tips(conn, user, rules)
    return found
