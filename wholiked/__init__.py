"""wholiked: can you see who liked your video? Act as any user and see what they can see.

The folders `core/`, `tui/` and `fixtures/` install as `wholiked.core`, `wholiked.tui`
and `wholiked.fixtures`, so nothing generic lands in site-packages.

In a checkout, `python -m wholiked` run from the root finds this folder before any
installed copy (the working folder comes first on sys.path), and this folder holds only
its own files: so here the package's path also takes the checkout's root, where
`core/`, `tui/` and `fixtures/` are. An installed copy has them inside and adds nothing.
"""

from pathlib import Path

__version__ = "0.1.0"

_HERE = Path(__file__).parent
if not (_HERE / "core").is_dir() and (_HERE.parent / "core" / "__init__.py").is_file():
    __path__.append(str(_HERE.parent))
