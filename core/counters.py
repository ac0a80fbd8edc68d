"""Per-video counters kept exact by triggers (created only on writable opens).

Placeholder until the performance work: no triggers yet.
"""

OWN_TRIGGER_SQL: dict[str, str] = {}
