"""Where wholiked keeps its own files (the demo working copy, validation cache)."""

import os
from pathlib import Path


def data_dir() -> Path:
    """The folder for wholiked's own files: $WHOLIKED_HOME, else $XDG_DATA_HOME/wholiked, else
    the platform's data folder (platformdirs: ~/.local/share/wholiked on Linux,
    ~/Library/Application Support/wholiked on macOS, %LOCALAPPDATA%\\wholiked on Windows)."""
    if home := os.environ.get("WHOLIKED_HOME"):
        return Path(home)
    if xdg := os.environ.get("XDG_DATA_HOME"):
        return Path(xdg) / "wholiked"
    import platformdirs  # only when needed: the CLI's start stays fast

    return Path(platformdirs.user_data_dir("wholiked", appauthor=False))


def config_dir() -> Path:
    """The folder for the user's settings: $WHOLIKED_HOME (everything in one folder), else
    $XDG_CONFIG_HOME/wholiked, else the platform's config folder (platformdirs:
    ~/.config/wholiked on Linux, ~/Library/Application Support/wholiked on macOS)."""
    if home := os.environ.get("WHOLIKED_HOME"):
        return Path(home)
    if xdg := os.environ.get("XDG_CONFIG_HOME"):
        return Path(xdg) / "wholiked"
    import platformdirs

    return Path(platformdirs.user_config_dir("wholiked", appauthor=False))


def demo_path() -> Path:
    """The demo world's working copy (built on first use, rebuilt by `wholiked reset`)."""
    return data_dir() / "demo.db"
