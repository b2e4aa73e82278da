"""`tightrope db|audit|keys|backup|users`: looking after the registry itself."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from .registry_context import opened

if TYPE_CHECKING:
    from ..storage.audit import Head

db_app = typer.Typer(help="The registry database: create or upgrade its tables.",
                     no_args_is_help=True, rich_markup_mode=None)
audit_app = typer.Typer(help="The audit log: verify its hash chain and every record.",
                        no_args_is_help=True, rich_markup_mode=None)
keys_app = typer.Typer(help="Encryption keys: rotate them, see which are in use.",
                       no_args_is_help=True, rich_markup_mode=None)
users_app = typer.Typer(help="Accounts: clinicians, supervisors and admins.",
                        no_args_is_help=True, rich_markup_mode=None)


class VerifyFormat(StrEnum):
    text = "text"
    json = "json"


def register(root: typer.Typer) -> None:
    root.add_typer(db_app, name="db")
    root.add_typer(audit_app, name="audit")
    root.add_typer(keys_app, name="keys")
    root.add_typer(users_app, name="users")
    root.command("backup")(backup)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create the registry's tables, or bring them to this version's schema."""
    from ..storage.schema import upgrade

    with opened(check_schema=False) as context:
        before, after = upgrade(context.registry.store.engine)
        where = context.settings.display_url
    if before == after:
        typer.echo(f"{where} is already at schema revision {after}.")
    else:
        typer.echo(f"Upgraded {where} from {before or 'empty'} to schema revision {after}.")


@db_app.command("status")
def db_status() -> None:
    """Where the registry is, its schema revision, and how many records it holds."""
    from sqlalchemy import func, select

    from ..storage.audit import read_head
    from ..storage.schema import SCHEMA_HEAD, current_revision
    from ..storage.tables import RECORD_TABLES

    with opened(check_schema=False) as context:
        store = context.registry.store
        with store.engine.connect() as connection:
            revision = current_revision(connection)
        typer.echo(f"Database: {context.settings.display_url} ({store.dialect})")
        typer.echo(f"Schema revision: {revision or 'none'} (this version needs {SCHEMA_HEAD})")
        if revision != SCHEMA_HEAD:
            return
        with store.read() as session:
            for model in RECORD_TABLES:
                count = session.scalar(select(func.count()).select_from(model))
                typer.echo(f"  {model.__tablename__}: {count}")
            typer.echo(f"Audit head: {read_head(session).render()}")


@audit_app.command("verify")
def audit_verify(
    anchor: str = typer.Option(None, "--anchor", metavar="SEQ:HASH",
                               help="A head noted earlier (`tightrope audit head`) that the "
                               "log must still contain."),
    output: VerifyFormat = typer.Option(VerifyFormat.text, "--format", "-f"),
) -> None:
    """Check the hash chain and every record; exit 1 and say what is wrong if anything is."""
    from ..storage.verification import verify

    expected = _parse_anchor(anchor) if anchor else None
    with opened() as context:
        store = context.registry.store
        with store.read() as session:
            report = verify(session, store.cipher, anchor=expected)
    if output is VerifyFormat.json:
        typer.echo(json.dumps({"ok": report.ok, "events": report.events,
                               "records": report.records, "head": report.head.render(),
                               "problems": [p.__dict__ for p in report.problems]}, indent=2))
    elif report.ok:
        typer.echo(f"Audit log verified: {report.events} events, {report.records} records, "
                   f"all intact. Head {report.head.render()}")
    else:
        typer.echo(f"Audit verification FAILED: {len(report.problems)} problem(s) in "
                   f"{report.events} events and {report.records} records.", err=True)
        first = report.problems[0]
        typer.echo(f"First: {first.kind}: {first.message}", err=True)
        for problem in report.problems[1:]:
            typer.echo(f"  {problem.kind}: {problem.message}", err=True)
    if not report.ok:
        raise typer.Exit(code=1)


def _parse_anchor(text: str) -> Head:
    from ..core.errors import Problem, TightropeError
    from ..storage.audit import Head

    seq, _, digest = text.partition(":")
    if not seq.isdigit() or len(digest) != 64:
        raise TightropeError(code="invalid-input", problems=[Problem(
            "invalid-input", f"{text!r} is not a head", "--anchor", None,
            "give it as SEQ:HASH, as `tightrope audit head` prints it")])
    return Head(int(seq), digest)


@audit_app.command("head")
def audit_head() -> None:
    """The last event's number and hash: note it elsewhere to anchor later checks."""
    from ..storage.audit import read_head

    with opened() as context, context.registry.store.read() as session:
        typer.echo(read_head(session).render())


@keys_app.command("new")
def keys_new() -> None:
    """Print a fresh random key (base64) for TIGHTROPE_KEY; nothing is stored."""
    from ..storage.crypto import generate_key
    from ..storage.keys import encode_key

    typer.echo(encode_key(generate_key()))


@keys_app.command("status")
def keys_status() -> None:
    """The keys Tightrope has, the active one, and how many values each seals."""
    from ..storage.rotation import keys_in_use

    with opened() as context:
        store = context.registry.store
        counts = keys_in_use(store)
        keyring = store.cipher.keyring
        source = "TIGHTROPE_KEY" if context.settings.key_material else \
            str(context.settings.key_file)
    typer.echo(f"Keys from {source}:")
    for key_id in keyring.ids:
        active = " (active)" if key_id == keyring.active_id else ""
        typer.echo(f"  {key_id}{active}: {counts.pop(key_id, 0)} sealed values")
    for key_id, count in counts.items():
        typer.echo(f"  {key_id} (MISSING: add it back or those values cannot be read): {count}")


@keys_app.command("rotate")
def keys_rotate(
    retire_old: bool = typer.Option(False, "--retire-old",
                                    help="Afterwards, remove keys no longer in use from the "
                                    "key file (older backups then need a copy of it)."),
) -> None:
    """Make a new key active (key file) and re-encrypt every value with the active key."""
    from ..registry.service import Registry
    from ..storage.keys import add_active_key, read_key_file, retire_keys
    from ..storage.rotation import reseal_all
    from ..storage.store import Store

    with opened() as context:
        settings = context.settings
        actor = context.actor()
        uses_file = settings.key_material is None
        if uses_file:
            new_id = add_active_key(settings.key_file)
            typer.echo(f"Added key {new_id} to {settings.key_file}; it is now active.")
            store = Store(context.registry.store.engine, read_key_file(settings.key_file))
        else:
            store = context.registry.store
            typer.echo(f"Keys come from TIGHTROPE_KEY; its first key "
                       f"{store.cipher.keyring.active_id} is active.")
        report = reseal_all(store, at=Registry(store).now(), actor_id=actor.id)
        typer.echo(f"Re-encrypted {report.total} values with key {report.active}.")
        if retire_old and uses_file:
            removed = retire_keys(settings.key_file, set(report.keys_in_use))
            typer.echo(f"Removed {len(removed)} unused key(s) from the key file: "
                       f"{', '.join(removed) or 'none'}.")


def backup(
    path: Path = typer.Argument(..., help="Where to write the copy (a new file)."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace an existing file."),
) -> None:
    """A consistent copy of the live registry (SQLite online backup, or pg_dump)."""
    from ..storage.backup import backup as make_backup

    with opened() as context:
        report = make_backup(context.registry.store.engine, path, overwrite=overwrite)
    head = f", audit head {report.audit_head}" if report.audit_head else ""
    typer.echo(f"Backed up to {report.path} ({report.bytes:,} bytes, {report.method}{head}). "
               "It is encrypted: keep the key safe, and apart from the backup.")


@users_app.command("add")
def users_add(
    username: str = typer.Argument(...),
    role: str = typer.Option("clinician", "--role", help="clinician, supervisor or admin."),
    name: str = typer.Option(None, "--name", help="Display name (default: the username)."),
    supervisor: str = typer.Option(None, "--supervisor", help="Their supervisor's username."),
    password: bool = typer.Option(False, "--password", help="Prompt for a password."),
) -> None:
    """Create an account (admins only; anyone may create the first admin)."""
    from ..registry.inputs import parse_role

    secret = typer.prompt("Password", hide_input=True, confirmation_prompt=True) \
        if password else None
    with opened() as context:
        view = context.registry.accounts.create_user(
            context.actor(), username, role=parse_role(role), display_name=name,
            supervisor=supervisor, password=secret)
    typer.echo(f"Created {view.role.value} account {view.username}.")


@users_app.command("list")
def users_list() -> None:
    """Every account (admins only)."""
    with opened() as context:
        users = context.registry.accounts.list_users(context.actor())
    for u in users:
        state = " (disabled)" if u.disabled else ""
        supervised = f", supervised by {u.supervisor}" if u.supervisor else ""
        typer.echo(f"{u.username:<20} {u.role.value:<10} {u.display_name}{supervised}{state}")


@users_app.command("disable")
def users_disable(username: str = typer.Argument(...)) -> None:
    """Disable an account: it can no longer do anything (its records stay)."""
    with opened() as context:
        context.registry.accounts.disable_user(context.actor(), username)
    typer.echo(f"Disabled {username}.")


@users_app.command("enable")
def users_enable(username: str = typer.Argument(...)) -> None:
    """Enable a disabled account."""
    with opened() as context:
        context.registry.accounts.enable_user(context.actor(), username)
    typer.echo(f"Enabled {username}.")


@users_app.command("set-supervisor")
def users_set_supervisor(
    username: str = typer.Argument(...),
    supervisor: str = typer.Argument(None, help="The supervisor's username (omit to clear)."),
) -> None:
    """Assign (or clear) an account's supervisor."""
    with opened() as context:
        context.registry.accounts.set_supervisor(context.actor(), username, supervisor)
    typer.echo(f"{username} is now supervised by {supervisor}." if supervisor
               else f"{username} now has no supervisor.")


@users_app.command("set-role")
def users_set_role(username: str = typer.Argument(...),
                   role: str = typer.Argument(..., help="clinician, supervisor or admin.")
                   ) -> None:
    """Change an account's role."""
    from ..registry.inputs import parse_role

    with opened() as context:
        context.registry.accounts.set_role(context.actor(), username, parse_role(role))
    typer.echo(f"{username} is now a {role}.")


@users_app.command("set-password")
def users_set_password(username: str = typer.Argument(None, help="Default: yourself.")) -> None:
    """Set a password (for the web app); prompts for it."""
    secret = typer.prompt("New password", hide_input=True, confirmation_prompt=True)
    with opened() as context:
        actor = context.actor()
        context.registry.accounts.set_password(actor, username or actor.username, secret)
    typer.echo("Password set.")


@users_app.command("whoami")
def users_whoami() -> None:
    """The account the CLI acts as (TIGHTROPE_USER, else your OS user name)."""
    with opened() as context:
        actor = context.actor()
    typer.echo(f"{actor.username} ({actor.role.value})")
