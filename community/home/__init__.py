"""Home: the landing page for visitors and a member's home, which gathers every domain's news."""
