"""Storage: the database format, its schema and row models, validation, opening files,
and wholiked's derived data (indexes, counters)."""
