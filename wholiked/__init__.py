"""wholiked: can you see who liked your video? Act as any user and see what they can see.

The folders `core/`, `tui/` and `fixtures/` install as `wholiked.core`, `wholiked.tui`
and `wholiked.fixtures`, so nothing generic lands in site-packages.
"""

__version__ = "0.1.0"
