"""The words of every built-in reason (rules 5 and 8, and the presets' own reasons: README
"Platform presets"), and the lookup that prefers a rule file's own words for its reasons.

Kept beside the presets so a preset written out as a rule file carries its words.
"""

from wholiked.core.rules.presets import Preset, Wording

# Why a liker is (or is not) identifiable to the acting user (rules 5 and 8, and the
# presets' own reasons: README "Platform presets").
LIKER_REASON = {
    "self": "you (your own like)",
    "public": "public account",
    "approved_follower": "you follow (approved)",
    "private_not_following": "private, not followed",
    "private_follow_pending": "private, request pending",
    "blocked": "blocked (either way)",
    "creator_inbox": "your video (Inbox → Activities)",
    "everyone_who_can_view": "liked-by list (everyone)",
    "author_sees_all": "your post (author sees likes)",
    "creator_only": "only the creator sees it",
    "author_only": "only the author sees it",
    "nobody_sees_likers": "likes are private",
}

# Why the creator can or cannot see the acting user's like (rule 6, from the creator's side).
CREATOR_SEES = {
    "self": "it is your own video",
    "public": "your account is public",
    "approved_follower": "they are your approved follower",
    "private_not_following": "your account is private and they are not your approved follower",
    "private_follow_pending": (
        "your account is private and their follow request to you is still pending"
    ),
    "blocked": "one of you has blocked the other",
    "creator_inbox": "on TikTok a creator sees every like in Inbox → Activities",
    "everyone_who_can_view": "on Instagram everyone who can view a post sees who liked it",
    "author_sees_all": "on X a post's author sees who liked it",
    "nobody_sees_likers": "on YouTube likes are private, the creator included",
}

# Why the likers a preset hides from everyone but the creator (or from everyone) stay
# anonymous, by the preset's hidden reason.
HIDDEN_BY_PRESET = {
    "creator_only": "on TikTok only the creator sees who liked",
    "author_only": "on X only the post's author sees who liked",
    "nobody_sees_likers": "on YouTube nobody sees who liked, not even the creator",
}


_FROM_FILES: dict[str, Wording] = {}
"""The words of the reasons of the rule files read in this process (a reason a built-in
preset names keeps its built-in words), so a liker row shows its reason in the rule
file's words wherever it is drawn."""


def remember_wording(rules: Preset) -> None:
    """Make a rule file's words for its own reasons known to `reason_wording`."""
    for reason, words in rules.wording.items():
        if reason not in LIKER_REASON:
            _FROM_FILES.setdefault(reason, words)


def reason_wording(reason: str, rules: Preset | None = None) -> Wording:
    """How a reason reads: the rule file's own words when it gives them, else the built-in
    words (the reason itself when none is known)."""
    if rules is not None and reason in rules.wording:
        return rules.wording[reason]
    if reason in _FROM_FILES:
        return _FROM_FILES[reason]
    return Wording(
        label=LIKER_REASON.get(reason, reason),
        creator_sees=CREATOR_SEES.get(reason),
        anonymous=HIDDEN_BY_PRESET.get(reason),
    )
