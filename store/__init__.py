"""SQLAlchemy models, sessions and migrations. Functions take a Session and never commit."""
