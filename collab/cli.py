"""Command line: flask --app wsgi <command>."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable

import click
from flask import Flask
from sqlalchemy.orm import Session

from collab.db import db


def register_cli(app: Flask) -> None:
    from collab.jobs import register_commands as register_job_commands

    register_job_commands(app)  # issue 9: flask worker, scheduler, run-job

    @app.cli.command("db-upgrade")
    @click.option("--revision", default="head", show_default=True)
    def db_upgrade(revision: str) -> None:
        """Run database migrations up to REVISION."""
        from collab.migrate import upgrade

        upgrade(db.get_engine(), revision)
        click.echo(f"Database is at {revision}.")

    @app.cli.command("create-user")
    @click.option("--email", prompt=True, help="Email address used to sign in.")
    @click.option("--name", "display_name", prompt="Display name", help="Name shown to others.")
    @click.option("--admin/--no-admin", default=False, help="Make the account a site administrator.")
    @click.option(
        "--password-stdin", is_flag=True, help="Read the password from standard input instead of asking."
    )
    def create_user(email: str, display_name: str, admin: bool, password_stdin: bool) -> None:
        """Create an account (the first one on a new installation should use --admin)."""
        from collab.accounts.forms import PASSWORD_MIN
        from collab.accounts.services import create_user as make_user
        from collab.errors import DomainError

        if password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Password: ")
            if getpass.getpass("Password again: ") != password:
                raise click.ClickException("The passwords do not match.")
        if len(password) < PASSWORD_MIN:
            raise click.ClickException(f"The password must be at least {PASSWORD_MIN} characters.")
        try:
            user = make_user(db.session, email, password, display_name, is_site_admin=admin, check_strength=True)
        except DomainError as error:
            raise click.ClickException(error.message) from None
        db.session.commit()
        click.echo(f"Created {'site administrator ' if admin else ''}{user.email}.")

    @app.cli.command("seed-demo")
    def seed_demo() -> None:
        """Add the fictional demo alliances and accounts (does nothing if they exist)."""
        if app.config.get("COLLAB_ENV") == "production":  # trust-web
            raise click.ClickException(
                "seed-demo does not run when COLLAB_ENV=production: the demo accounts share a "
                "published password. Use 'flask create-user --admin' to make the first real account."
            )
        from collab.demo import DEMO_PASSWORD, made_up_data
        from collab.demo import seed_demo as run_seed

        with made_up_data(app) as session:
            created = run_seed(session)
        if created:
            click.echo(f"Demo data created. Every demo account's password is {DEMO_PASSWORD}")
        else:
            click.echo("Demo data is already there; nothing changed.")

    @app.cli.command("seed-large")
    def seed_large_command() -> None:
        """Build the large benchmark data set (sizes in collab/demo/large.py); does nothing if it exists."""
        import time

        from collab.demo import made_up_data
        from collab.demo.large import BENCH_EMAIL, seed_large

        started = time.perf_counter()
        with made_up_data(app) as session:
            created = seed_large(session)
        if created:
            click.echo(f"Large data set created in {time.perf_counter() - started:.0f}s. Sign in as {BENCH_EMAIL}.")
        else:
            click.echo("The large data set is already there; nothing changed.")

    # Two-step sign-in (issue 7): help back in someone who lost their phone and recovery codes.
    @app.cli.command("two-step-off")
    @click.argument("email")
    def two_step_off(email: str) -> None:
        """Turn off two-step sign-in for EMAIL (check who is asking first)."""
        from collab.accounts import two_step
        from collab.accounts.services import find_by_email
        from collab.security_log import log_event

        user = find_by_email(db.session, email)
        if user is None:
            raise click.ClickException(f"There is no account for {email}.")
        if not two_step.is_enabled(db.session, user):
            click.echo(f"Two-step sign-in is already off for {user.email}.")
            return
        two_step.disable(db.session, user)
        db.session.commit()
        log_event("two-step-disabled", user_id=user.id, by="command line")
        click.echo(f"Two-step sign-in is now off for {user.email}. They can sign in with their password and set it up again.")

    @app.cli.command("verify-audit")
    @click.option(
        "--head", "heads", multiple=True, metavar="ID:HASH",
        help="A head printed earlier by `flask audit-head` (or on a signed PDF); it must still be in the chain.",
    )
    def verify_audit(heads: tuple[str, ...]) -> None:
        """Check the audit trail's hash chain and every signature; exits 1 if anything was altered."""
        from collab.audit import parse_head, verify_chain

        parsed = []
        for value in heads:
            head = parse_head(value)
            if head is None:
                raise click.BadParameter(f"{value!r} is not ID:HASH (as printed by flask audit-head)", param_hint="--head")
            parsed.append(head)
        report = verify_chain(db.session, heads=parsed)
        problems = []
        if report.first_bad_id is not None:
            problems.append(f"audit entry {report.first_bad_id} {report.problem}")
        elif report.problem:
            problems.append(report.problem)
        for check in AUDIT_CHECKS:
            problems.extend(check(db.session))
        if problems:
            for problem in problems:
                click.echo(f"FAILED: {problem}", err=True)
            sys.exit(1)
        click.echo(f"OK: {report.checked} audit entries checked; the chain is intact.")
        if report.legacy:
            click.echo(
                f"Note: {report.legacy} entries were written before the trail was keyed (legacy, unkeyed SHA-256); "
                "they are checked the old way, which someone with database access could forge."
            )
        if report.head:
            click.echo(f"Head: {report.head}")

    @app.cli.command("audit-head")
    def audit_head() -> None:
        """Print the audit trail's head (ID:HASH) to keep outside the database, for verify-audit --head."""
        from collab.audit import current_head

        head = current_head(db.session)
        if not head:
            raise click.ClickException("The audit trail is empty.")
        click.echo(head)


#: Other areas add checks (such as signed agreement versions) that verify-audit also runs.
AUDIT_CHECKS: list[Callable[[Session], list[str]]] = []
