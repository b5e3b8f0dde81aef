"""Shared resource pages, one module per sub-domain; importing this package registers them on ``bp``."""

from collab.resources.routes import availability, booking, calendar, needs, register, value

__all__ = ["availability", "booking", "calendar", "needs", "register", "value"]
