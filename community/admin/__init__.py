"""Owners' pages: the membership policy, tiers and the audit log."""
