"""Events: online or in person, with RSVPs, a waiting list, calendar files and reminders."""
