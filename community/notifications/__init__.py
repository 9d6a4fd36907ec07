"""Notifications: stored per member, pushed live over Socket.IO, emailed at once or in digests."""
