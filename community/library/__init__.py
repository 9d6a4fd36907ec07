"""The learning library: resources, the editorial workflow, learning paths."""
