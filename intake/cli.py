"""The ``lovbot`` command: poll, run, check, db, digest, approve, done, gallra, health,
web, user, corpus, register, provider.

Errors reach the user as one Swedish sentence on stderr and a non-zero exit, never as a
traceback (``--debug`` shows it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from intake.settings import Settings, load_settings
from parsers.errors import LovbotError
from parsers.personnummer import mask_personnummer

__all__ = ["main"]

logger = logging.getLogger("lovbot")


class _MaskingFilter(logging.Filter):
    """Personal identity numbers never reach a log line (style.md §11)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask_personnummer(record.getMessage())
        record.args = None
        # A traceback repeats the exception's message, which may quote the mail.
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_personnummer(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_personnummer(record.stack_info)
        return True


# lovbot's own loggers (module names); everything else is a library's.
_OWN = ("lovbot", "intake", "parsers", "rules", "store", "outbox")
# A library record at DEBUG is cut to this many characters: imapclient's protocol log
# would otherwise write whole messages (bodies, attachments) into the log.
_LIBRARY_DEBUG_CHARS = 300


class _LibraryDebugFilter(logging.Filter):
    """A library's DEBUG lines never carry a message body, even when asked for (-vvv)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno <= logging.DEBUG and not record.name.startswith(_OWN):
            text = record.getMessage()
            if len(text) > _LIBRARY_DEBUG_CHARS:
                record.msg = text[:_LIBRARY_DEBUG_CHARS] + f" … ({len(text)} tecken)"
                record.args = None
        return True


def setup_logging(verbosity: int) -> None:
    """-v: what lovbot does (INFO); -vv: lovbot's own DEBUG; -vvv: libraries' DEBUG too.

    Libraries (imapclient, apscheduler, ...) stay at INFO up to -vv: imapclient logs the
    IMAP protocol, message bodies included, at DEBUG.
    """
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(_LibraryDebugFilter())
    handler.addFilter(_MaskingFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    library_level = {0: logging.WARNING, 1: logging.INFO, 2: logging.INFO}.get(
        verbosity, logging.DEBUG
    )
    own_level = {0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG)
    root.setLevel(library_level)
    for name in _OWN:
        logging.getLogger(name).setLevel(own_level)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lovbot", description="Läser LOV-brevlådan, registrerar ändringar och svarar."
    )
    parser.add_argument("--config", type=Path, help="TOML-fil med inställningar")
    parser.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=0,
        help="visa logg på stderr (-vv: felsökning i lovbot, -vvv: även i biblioteken)",
    )
    parser.add_argument("--debug", action="store_true", help="visa hela felet vid fel")
    sub = parser.add_subparsers(dest="command", required=True)

    poll = sub.add_parser("poll", help="hämta och behandla ny post")
    poll.add_argument("--once", action="store_true", required=True, help="en omgång, sedan klart")
    sub.add_parser("run", help="kör schemalagt tills SIGTERM/SIGINT")

    check = sub.add_parser("check", help="läs .eml-filer utan att spara eller skicka något")
    check.add_argument("files", nargs="+", type=Path)
    check.add_argument("--json", action="store_true", help="en JSON-rad per fil")

    db = sub.add_parser("db", help="databasens schema")
    db.add_argument("action", choices=["upgrade", "status"])

    digest = sub.add_parser("digest", help="EKU:s sammanställning")
    digest.add_argument("--print", action="store_true", dest="print_only", help="skriv ut")

    approve = sub.add_parser("approve", help="släpp hållna beställningar för ett ärende")
    approve.add_argument("case")
    approve.add_argument("--by", default=None, help="vem som godkänner")

    gallra = sub.add_parser(
        "gallra", help="ta bort råmeddelanden och bilagor vars bevarandetid har gått ut"
    )
    gallra.add_argument("--dry-run", action="store_true", help="visa bara vad som skulle gallras")

    done = sub.add_parser("done", help="markera en av EKU:s uppgifter som klar")
    done.add_argument("case")
    done.add_argument("system")
    done.add_argument("--by", default=None, help="vem som gjorde det")
    health = sub.add_parser(
        "health", help="en rad för övervakning; slutkod 0 OK, 1 varning, 2 kritiskt, 3 okänt"
    )
    web = sub.add_parser("web", help="starta granskningsappen i webbläsaren")
    web.add_argument("--host", default=None, help="adress att lyssna på ([web] host)")
    web.add_argument("--port", type=int, default=None, help="port ([web] port)")

    user = sub.add_parser("user", help="lokala konton i granskningsappen")
    user_sub = user.add_subparsers(dest="user_action", required=True)
    user_add = user_sub.add_parser("add", help="skapa ett konto (lösenordet läses från stdin)")
    user_add.add_argument("name")
    user_add.add_argument("--role", choices=["handlaggare", "lasare"], required=True)

    corpus = sub.add_parser("corpus", help="ärenden som testfall för lovbot check")
    corpus_sub = corpus.add_subparsers(dest="corpus_action", required=True)
    corpus_export = corpus_sub.add_parser(
        "export", help="skriv ärendenas brev (maskade) och facit till en korpusmapp"
    )
    corpus_export.add_argument("cases", nargs="+", metavar="CASE")
    corpus_export.add_argument("directory", type=Path, metavar="DIR")

    register = sub.add_parser("register", help="registret över utförare och enheter")
    register_sub = register.add_subparsers(dest="register_command", required=True)
    imp = register_sub.add_parser("import", help="läs in registret från en CSV-fil")
    imp.add_argument("file", type=Path)
    imp.add_argument("--by", default=None, help="vem som importerar")
    exp = register_sub.add_parser("export", help="skriv registret som CSV (utan fil: stdout)")
    exp.add_argument("file", type=Path, nargs="?")
    exp.add_argument("--at", type=_iso_date, default=None, help="registret som det var ÅÅÅÅ-MM-DD")
    apply = register_sub.add_parser("apply", help="gör de ändringar klara ärenden ska göra i dag")
    undo = register_sub.add_parser("undo", help="ångra en ändring i registret")
    undo.add_argument("change", type=int)
    undo.add_argument("--by", default=None, help="vem som ångrar")
    show = register_sub.add_parser("show", help="valbara och fulla enheter, utförare, avtal")
    show.add_argument("--history", action="store_true", help="visa de senaste ändringarna")

    provider = sub.add_parser("provider", help="EKU:s beslut om en utförare")
    provider_sub = provider.add_subparsers(dest="provider_command", required=True)
    valbar = provider_sub.add_parser("valbar", help="utföraren blir valbar (EKU:s beslut)")
    valbar.add_argument("provider", metavar="ORGNR", help="organisationsnummer (eller e-postdomän)")
    valbar.add_argument("--by", default=None, help="vem som beslutar")
    for p in (
        check,
        poll,
        db,
        digest,
        approve,
        done,
        gallra,
        health,
        web,
        user_add,
        corpus_export,
        imp,
        exp,
        apply,
        undo,
        show,
        valbar,
    ):
        p.add_argument("--config", type=Path, default=argparse.SUPPRESS)
    return parser


def _iso_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"'{value}' är inget datum (ÅÅÅÅ-MM-DD)") from err


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    setup_logging(args.verbose)
    try:
        settings = load_settings(args.config)
        return _dispatch(args, settings)
    except KeyboardInterrupt:
        print("Avbrutet.", file=sys.stderr)
        return 130
    except (LovbotError, OSError, ValueError) as err:
        if args.debug:
            raise
        if args.command == "health":
            # Monitoring reads one line on stdout and the exit code: 3 is UNKNOWN.
            one_line = " ".join(mask_personnummer(str(err)).split())
            print(f"lovbot OKÄNT: {one_line}")
            return 3
        print(f"lovbot: {mask_personnummer(str(err))}", file=sys.stderr)
        return 1


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "check":
        from intake.check import check

        return check(settings, args.files, as_json=args.json)

    if args.command == "health":
        return _health(settings)

    from intake import commands

    if args.command == "poll":
        return commands.poll_once(settings)
    if args.command == "run":
        return commands.run(settings)
    if args.command == "db":
        return commands.db(settings, args.action)
    if args.command == "digest":
        return commands.digest(settings, print_only=args.print_only)
    if args.command == "approve":
        return commands.approve(settings, args.case, by=args.by)
    if args.command == "gallra":
        return commands.gallra(settings, dry_run=args.dry_run)
    if args.command in ("register", "provider"):
        return _register(args, settings)
    if args.command == "done":
        return commands.done(settings, args.case, args.system, by=args.by)
    from review import commands as review_commands

    if args.command == "web":
        return review_commands.web(settings, host=args.host, port=args.port)
    if args.command == "user":
        return review_commands.user_add(settings, args.name, args.role)
    if args.command == "corpus":
        return review_commands.corpus_export(settings, args.cases, args.directory)
    raise AssertionError(args.command)


def _health(settings: Settings) -> int:
    """The monitoring line; any failure to find out is UNKNOWN (3), not a traceback."""
    from sqlalchemy.exc import SQLAlchemyError

    from intake.health import UNKNOWN, health_line
    from store.db import check_schema, make_engine, make_sessionmaker

    try:
        engine = make_engine(settings.database.url)
        try:
            check_schema(engine)
            code, line = health_line(settings, make_sessionmaker(engine))
        finally:
            engine.dispose()
    except (LovbotError, SQLAlchemyError, OSError) as err:
        reason = str(err) if isinstance(err, LovbotError) else err.__class__.__name__
        print(f"lovbot OKÄNT: databasen går inte att läsa ({mask_personnummer(reason)})")
        return UNKNOWN
    print(line)
    return code


def _register(args: argparse.Namespace, settings: Settings) -> int:
    from intake import register_commands as rc

    if args.command == "provider":
        return rc.provider_valbar(settings, args.provider, by=args.by)
    action = args.register_command
    if action == "import":
        return rc.import_register(settings, args.file, by=args.by)
    if action == "export":
        return rc.export_register(settings, args.file, at=args.at)
    if action == "apply":
        return rc.apply_register(settings)
    if action == "undo":
        return rc.undo_register(settings, args.change, by=args.by)
    if action == "show":
        return rc.register_show(settings, history=args.history)
    raise AssertionError(action)


if __name__ == "__main__":
    sys.exit(main())
