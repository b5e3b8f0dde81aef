"""Service specifications: drafted together, commented on paragraph by paragraph, answered in "you said, we did"."""

import click
from flask import Blueprint, Flask

from collab.permissions import grant_roles

#: cli_group=None: the blueprint's commands are top-level (flask --app wsgi seed-large).
bp = Blueprint("specs", __name__, cli_group=None)


@bp.cli.command("seed-large")
def seed_large_command() -> None:
    """Build the large benchmark data set (sizes in collab/specs/large.py); does nothing if it exists."""
    import time

    from flask import current_app

    from collab.seed import made_up_data
    from collab.specs.large import BENCH_EMAIL, seed_large

    started = time.perf_counter()
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    with made_up_data(app) as session:
        created = seed_large(session)
    if created:
        click.echo(f"Large data set created in {time.perf_counter() - started:.0f}s. Sign in as {BENCH_EMAIL}.")
    else:
        click.echo("The large data set is already there; nothing changed.")




def init_app(app: Flask) -> None:
    """Hook this area into the app: its blueprint, and its roles' permissions."""
    from collab.specs.permissions import ROLE_PERMISSIONS

    grant_roles(ROLE_PERMISSIONS)
    from collab.specs import activity, routes, seed  # noqa: F401  (their routes and hook-ups register on import)

    app.register_blueprint(bp)
