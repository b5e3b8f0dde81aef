"""Alliances: organisations, alliances, membership, invitations and activity."""

from flask import Blueprint

bp = Blueprint("alliances", __name__)

from collab.alliances import activity, routes  # noqa: E402,F401
