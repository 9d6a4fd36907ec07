"""Private contact: contact preferences, introduction requests and private conversations."""
