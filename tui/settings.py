"""The user's settings, kept between runs in `config.toml` in wholiked's config folder.

Only the theme for now (chosen in the command palette, "Change theme"). A missing or
unreadable file means the defaults; a file that cannot be written (a read-only home)
costs the setting, never the app. Values are written as TOML basic strings.
"""

import json
import os
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

from wholiked.core.store.paths import config_dir

FILE_NAME = "config.toml"


def config_path() -> Path:
    return config_dir() / FILE_NAME


@dataclass
class Settings:
    """What is remembered, and where."""

    path: Path
    theme: str | None = None

    @classmethod
    def load(cls, path: Path | None = None) -> "Settings":
        path = path or config_path()
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            return cls(path)
        theme = data.get("theme")
        return cls(path, theme if isinstance(theme, str) else None)

    def save(self) -> bool:
        """Write the file (atomically); False when it cannot be written."""
        lines = ["# wholiked settings: written by the app, safe to edit"]
        if self.theme is not None:
            lines.append(f"theme = {json.dumps(self.theme)}")  # a JSON string is a TOML string
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".config-", suffix=".toml", dir=self.path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write("\n".join(lines) + "\n")
            os.replace(tmp, self.path)
        except OSError:
            return False
        return True
