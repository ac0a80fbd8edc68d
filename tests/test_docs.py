"""The repository's comments and docs cite only what a clone has: the README and docs/."""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTSIDE = "DESIGN" + ".md"  # spelled apart so this file does not name it


def _tracked_texts() -> dict[str, str]:
    names = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    texts = {}
    for name in filter(None, names):
        path = ROOT / name.decode()
        if path.is_file():
            try:
                texts[name.decode()] = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue  # a picture
    return texts


def test_no_file_cites_a_design_document_outside_the_repository() -> None:
    citing = sorted(name for name, text in _tracked_texts().items() if OUTSIDE in text)
    assert citing == []


def test_every_cited_section_exists() -> None:
    """A citation of the README or docs/design.md with a quoted section names a heading there."""
    headings = {
        doc: {
            line.lstrip("#").strip()
            for line in (ROOT / doc).read_text().splitlines()
            if line.startswith("#")
        }
        for doc in ("README.md", "docs/design.md")
    }
    cite = re.compile(r"\((README|docs/design\.md),\s+\"([^\"]+)\"")
    missing = []
    for name, text in _tracked_texts().items():
        for doc, section in cite.findall(text):
            doc = "README.md" if doc == "README" else doc
            if " ".join(section.split()) not in headings[doc]:
                missing.append((name, doc, section))
    assert missing == []
