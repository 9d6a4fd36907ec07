"""Moderation: the review queue for membership requests, members' standing, flags on posts."""
