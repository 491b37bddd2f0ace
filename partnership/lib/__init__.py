"""Framework-free helpers shared by the partnership app."""
