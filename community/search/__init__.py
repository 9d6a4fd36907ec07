"""Search: one box over threads, posts, library resources, events and the member directory,
behind a swappable backend (Whoosh on disk by default, the database when the index is out)."""
