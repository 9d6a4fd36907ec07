"""Members: accounts, sign-in and sign-out, signed-in sessions, password reset."""
