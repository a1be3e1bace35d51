"""Post model, front matter, Markdown rendering and the drafts store. No Qt here."""
