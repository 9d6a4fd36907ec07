"""Membership: tiers, the policy, requests, nominations and invitations."""
