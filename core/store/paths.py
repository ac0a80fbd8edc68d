"""Where wholiked keeps its own files (the demo working copy, validation cache)."""

import os
from pathlib import Path


def data_dir() -> Path:
    """The folder for wholiked's own files: $WHOLIKED_HOME, else $XDG_DATA_HOME/wholiked."""
    if home := os.environ.get("WHOLIKED_HOME"):
        return Path(home)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "wholiked"


def demo_path() -> Path:
    """The demo world's working copy (built on first use, rebuilt by `wholiked reset`)."""
    return data_dir() / "demo.db"
