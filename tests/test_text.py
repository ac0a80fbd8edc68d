"""One sanitiser for every terminal: `core.text.printable`, used by the CLI and the app."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wholiked.core.text import printable
from wholiked.fixtures.demo import DEMO_CREATOR, DEMO_PRIVATE_VIEWER, DEMO_TOP_VIDEO
from wholiked.tui import text as tui_text
from wholiked.tui.cli import main

EMOJI_JOIN = re.compile(
    r"(?<=[\U0001F000-\U0001FAFF\u2600-\u27BF])\u200d(?=[\U0001F000-\U0001FAFF\u2600-\u27BF])"
)
UNSAFE = re.compile(
    r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069"
    r"\ufe0e\ufe0f\ufeff\ufff9-\ufffb]"
)
"""What may never reach a terminal from data (a newline only ends a line)."""


def unsafe(shown: str) -> list[str]:
    return UNSAFE.findall(EMOJI_JOIN.sub("", shown))


@pytest.mark.parametrize(
    "kept",
    [
        "👩‍🎨",
        "👨‍👩‍👧",
        "🏳‍🌈",
        "👍🏽‍👍",
        "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",
        "café",
        "日本語",
        "a b",
    ],
)
def test_text_and_emoji_sequences_are_kept(kept: str) -> None:
    assert printable(kept) == kept


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x1b]52;c;aGk=\x07", "\ufffd]52;c;aGk=\ufffd"),  # OSC 52: ESC and BEL
        ("\x9b31m", "\ufffd31m"),  # C1 CSI
        ("a\x7fb", "a\ufffdb"),
        ("evil\u202etxt.exe", "evil\ufffdtxt.exe"),  # right-to-left override
        ("\u2066x\u2069", "\ufffdx\ufffd"),  # isolates
        ("zero\u200bwidth", "zero\ufffdwidth"),
        ("non\u200cjoiner", "non\ufffdjoiner"),
        ("a\u200db", "a\ufffdb"),  # a joiner between letters is not an emoji sequence
        ("\u200d", "\ufffd"),
        ("🦄\u200d", "🦄\ufffd"),
        ("word\u2060joiner", "word\ufffdjoiner"),
        ("\ufeffbom", "\ufffdbom"),
        ("soft\u00adhyphen", "soft\ufffdhyphen"),
        ("a\U000e0067", "a\ufffd"),  # a tag character outside a flag
        ("line\nbreak\ttab", "line break tab"),
        ("para\u2029graph", "para graph"),
        ("✍️", "✍"),  # presentation selectors are dropped (their width is disputed)
    ],
)
def test_controls_bidi_and_format_characters_are_neutralised(raw: str, shown: str) -> None:
    assert printable(raw) == shown


@given(st.text())
def test_nothing_unsafe_survives(raw: str) -> None:
    assert not unsafe(printable(raw))


def test_the_app_uses_the_same_function() -> None:
    assert tui_text.clean is printable


@pytest.mark.parametrize(
    "command",
    [
        ("likers", str(DEMO_TOP_VIDEO), "--as", DEMO_CREATOR),
        ("likers", str(DEMO_TOP_VIDEO), "--as", "jules.b"),
        ("audit", str(DEMO_TOP_VIDEO), "--as", DEMO_CREATOR),
        ("audit", "2"),
        ("audience", str(DEMO_TOP_VIDEO), "--as", DEMO_PRIVATE_VIEWER),
        ("tips", "--as", DEMO_CREATOR),
        ("tips", "--as", DEMO_PRIVATE_VIEWER),
        ("analytics", "--as", DEMO_CREATOR, "--window", "all"),
    ],
    ids=lambda c: " ".join(c[:2]),
)
def test_cli_text_output_goes_through_the_sanitiser(capsys, demo_path, command) -> None:
    """The demo world carries hostile names and captions (escapes, bidi overrides, zero-width
    characters): the text output shows none of them raw."""
    with pytest.raises(SystemExit) as exit_info:
        main([*command, "--db", str(demo_path)])
    out, err = capsys.readouterr()
    assert exit_info.value.code == 0, err
    assert not unsafe(out.replace("\n", "")), unsafe(out)
    assert not unsafe(err.replace("\n", ""))
