"""First-party engagement events (views, downloads, completions, RSVPs) for the owners' figures."""
