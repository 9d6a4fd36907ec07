"""Discussions: communities, threads and posts, with read positions and reactions."""
