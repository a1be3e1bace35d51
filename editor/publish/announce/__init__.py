"""Announcing a published post on social networks (Mastodon, Bluesky): one client each."""
