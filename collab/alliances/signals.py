"""Signals other areas listen to, so alliances need not know about them."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: Sent with ``session`` and ``membership`` once someone joins an alliance or starts to
#: represent a different organisation in it (flushed, not committed).
representation_started = _signals.signal("representation-started")
