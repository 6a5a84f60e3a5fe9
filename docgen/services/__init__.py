"""Services over the database: each takes a session, may flush, never commits (design D9)."""
