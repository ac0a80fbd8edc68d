"""How a reason reads (rules 5 and 8, and the presets' own reasons: README "Platform
presets"): the rule set's own words, else a built-in preset's, else a rule file's read in
this process. Each preset carries its reasons' words (`Preset.wording`), so a preset
written out as a rule file carries them too.
"""

from wholiked.core.rules.presets import COMMON_WORDING, PRESETS, Preset, Wording

BUILT_IN: dict[str, Wording] = {
    **COMMON_WORDING,
    **{reason: words for p in PRESETS.values() for reason, words in p.wording.items()},
}
"""Every built-in reason's words, from the presets that give them (a reason says one
thing in every preset)."""


_FROM_FILES: dict[str, Wording] = {}
"""The words of the reasons of the rule files read in this process (a reason a built-in
preset names keeps its built-in words), so a liker row shows its reason in the rule
file's words wherever it is drawn."""


def remember_wording(rules: Preset) -> None:
    """Make a rule file's words for its own reasons known to `reason_wording`."""
    for reason, words in rules.wording.items():
        if reason not in BUILT_IN:
            _FROM_FILES.setdefault(reason, words)


def reason_wording(reason: str, rules: Preset | None = None) -> Wording:
    """How a reason reads: the rule set's own words when it gives them, else the built-in
    words (the reason itself when none is known)."""
    if rules is not None and reason in rules.wording:
        return rules.wording[reason]
    return BUILT_IN.get(reason) or _FROM_FILES.get(reason) or Wording(reason)
