"""Classroom sessions (holdundervisning): sessions of a course's classroom part, bookings with a wait-list,
attendance, .ics invitations and the trainers' pages."""
