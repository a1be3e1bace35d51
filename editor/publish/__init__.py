"""Blog API clients and credentials. No Qt here."""
