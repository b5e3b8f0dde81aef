"""Service specifications: drafted together, commented on paragraph by paragraph, answered in "you said, we did"."""

from flask import Blueprint

bp = Blueprint("specs", __name__)

from collab.specs import activity, routes, seed  # noqa: E402,F401
