"""pytest plugin: a real Dovecot IMAP server for the test session, a clean account per test.

Dovecot runs from a temporary directory with its own configuration (no system files are
read or written), on 127.0.0.1 and a free port, plain text, with a passwd-file of users.
Every test gets a fresh user, so no state leaks between tests. ``Dovecot.variant()`` starts
a second server over the same accounts that hides capabilities (MOVE, UIDPLUS) so the
fallbacks can be exercised against the real thing. ``Dovecot.oauth2_variant()`` starts
one that also speaks IMAPS and takes XOAUTH2/OAUTHBEARER tokens (see fixtures_m365.py).

Set ``LOVBOT_KEEP_DOVECOT=1`` to keep the temporary directory (configuration, logs) for
a look after the run. Dovecot must be installed (Debian: ``dovecot-imapd``). Without it the IMAP tests are
skipped, or fail when ``CI=true``.
"""

from __future__ import annotations

import contextlib
import grp
import imaplib
import itertools
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest
from imapclient import IMAPClient
from pydantic import SecretStr

from intake.settings import MailboxSettings

__all__ = [
    "Dovecot",
    "DovecotServer",
    "DovecotUnavailable",
    "ImapAccount",
    "dovecot",
    "imap_account",
    "start_dovecot",
]

_SBIN = "/usr/sbin:/usr/local/sbin:/sbin"
_BIN = f"/usr/bin:/usr/local/bin:{_SBIN}"
_START_TIMEOUT = 15.0
_PROBE_USER = "lov"
_PROBE_PASSWORD = "lov-hemligt"
_APPENDUID = re.compile(rb"\[APPENDUID \d+ (\d+)\]")


def _find_dovecot() -> str | None:
    return shutil.which("dovecot", path=f"{_SBIN}:{os.environ.get('PATH', '')}")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class DovecotServer:
    """One running Dovecot master process."""

    name: str
    binary: str
    host: str
    port: int
    config: Path
    log: Path
    process: subprocess.Popen[bytes]
    mail_owner: tuple[int, int]
    # IMAPS port of an oauth2 variant (Dovecot.oauth2_variant); None otherwise.
    tls_port: int | None = None

    def client(self, username: str, password: str) -> IMAPClient:
        """A logged-in IMAPClient; the caller closes it."""
        client = IMAPClient(self.host, self.port, ssl=False, timeout=10)
        try:
            client.login(username, password)
        except BaseException:
            client.shutdown()
            raise
        return client

    def kick(self, username: str) -> None:
        """End every session of ``username`` politely (BYE), as a server restart does."""
        doveadm = shutil.which("doveadm", path=f"{Path(self.binary).parent}:{_BIN}")
        if doveadm is None:
            pytest.skip("doveadm is not installed")
        subprocess.run(
            [doveadm, "-c", str(self.config), "kick", username], check=True, capture_output=True
        )

    def kill_sessions(self, username: str) -> None:
        """SIGKILL the imap processes serving ``username``, as a crash would."""
        pids = re.findall(rf"Login: user=<{re.escape(username)}>,.* mpid=(\d+)", self.log_text())
        for pid in map(int, pids):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log_text(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:]) or "(no log)"


@dataclass
class Dovecot:
    """The session's Dovecot: the main server, its users and optional variants."""

    binary: str
    directory: Path
    mail_uid: int
    mail_gid: int
    service_user: str
    service_group: str
    main: DovecotServer = field(init=False)
    _servers: list[DovecotServer] = field(default_factory=list)
    _variants: dict[frozenset[str], DovecotServer] = field(default_factory=dict)
    _oauth2_variants: dict[str, DovecotServer] = field(default_factory=dict)
    _counter: Iterator[int] = field(default_factory=itertools.count)

    @property
    def passwd_dir(self) -> Path:
        return self.directory / "passwd.d"

    @property
    def home_root(self) -> Path:
        return self.directory / "home"

    def add_user(self, username: str, password: str) -> None:
        """Give ``username`` a passwd-file of its own, which Dovecot reads on first login.

        One file per user because Dovecot checks a shared passwd-file for changes at most
        once a second.
        """
        if not re.fullmatch(r"[a-z0-9][a-z0-9._-]*", username):
            raise ValueError(f"unusable test user name: {username!r}")
        if ":" in password or "\n" in password:
            raise ValueError("a passwd-file password cannot hold ':' or newlines")
        path = self.passwd_dir / username
        temporary = path.with_suffix(".tmp")
        temporary.write_text(f"{username}:{{PLAIN}}{password}::::::\n", encoding="utf-8")
        temporary.chmod(0o644)  # read by the auth process, which is not root
        os.replace(temporary, path)

    def new_account(self, password: str | None = None) -> ImapAccount:
        number = next(self._counter)
        username = f"lov-t{number}"
        password = password if password is not None else f"hemligt-{number}"
        self.add_user(username, password)
        return ImapAccount(self.main, username, password, self.home_root / username)

    def start(
        self, name: str, capability: str | None = None, *, oauth2: _OAuth2Setup | None = None
    ) -> DovecotServer:
        """Start a Dovecot over this session's users and mail; stopped at session end.

        With ``oauth2`` it also listens for IMAPS (``DovecotServer.tls_port``) and accepts
        XOAUTH2 and OAUTHBEARER tokens signed by that setup's key.
        """
        if any(server.name == name for server in self._servers):
            name = f"{name}-{len(self._servers)}"
        port = _free_port()
        tls_port = _free_port() if oauth2 else 0
        run, state = self.directory / f"run-{name}", self.directory / f"state-{name}"
        run.mkdir(mode=0o755)
        state.mkdir(mode=0o755)
        log = self.directory / f"{name}.log"
        config = self.directory / f"{name}.conf"
        config.write_text(
            _CONFIG.format(
                base_dir=run,
                state_dir=state,
                log=log,
                port=port,
                passwd_dir=self.passwd_dir,
                home_root=self.home_root,
                uid=self.mail_uid,
                gid=self.mail_gid,
                user=self.service_user,
                group=self.service_group,
                capability=f"imap_capability = {capability}" if capability else "",
                ssl="yes" if oauth2 else "no",
                mechanisms="plain login xoauth2 oauthbearer" if oauth2 else "plain login",
                imaps_port=tls_port,
                extra=oauth2.config(self.directory / f"{name}-oauth2.conf.ext") if oauth2 else "",
            ),
            encoding="utf-8",
        )
        with log.with_suffix(".stderr").open("wb") as stderr:
            process = subprocess.Popen(
                [self.binary, "-F", "-c", str(config)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
            )
        owner = (self.mail_uid, self.mail_gid)
        server = DovecotServer(name, self.binary, "127.0.0.1", port, config, log, process, owner)
        server.tls_port = tls_port or None
        self._servers.append(server)
        _wait_until_ready(server)
        return server

    def variant(self, *, without: frozenset[str]) -> DovecotServer:
        """A server over the same accounts whose CAPABILITY lacks ``without``."""
        if without not in self._variants:
            client = self.main.client(_PROBE_USER, _PROBE_PASSWORD)
            try:
                capabilities = [cap.decode() for cap in client.capabilities()]
            finally:
                client.logout()
            kept = " ".join(cap for cap in capabilities if cap.upper() not in without)
            name = "no-" + "-".join(sorted(cap.lower() for cap in without))
            self._variants[without] = self.start(name, capability=kept)
        return self._variants[without]

    def oauth2_variant(
        self, *, issuer: str, kid: str, public_key_pem: bytes, cert: Path, key: Path
    ) -> DovecotServer:
        """A server over the same accounts that also takes app-only tokens from ``issuer``.

        Tokens must be RS256 JWTs signed by ``public_key_pem``'s key (header ``kid``),
        issued by ``issuer``, unexpired, and name the account in the ``x_mailbox`` claim.
        One per issuer for the session.
        """
        if issuer not in self._oauth2_variants:
            setup = _OAuth2Setup(
                self.directory / f"oauth2-keys-{len(self._oauth2_variants)}",
                issuer,
                kid,
                public_key_pem,
                cert,
                key,
            )
            name = f"oauth2-{len(self._oauth2_variants)}"
            self._oauth2_variants[issuer] = self.start(name, oauth2=setup)
        return self._oauth2_variants[issuer]

    def stop_all(self) -> None:
        for server in self._servers:
            if server.process.poll() is None:
                server.process.send_signal(signal.SIGTERM)
        for server in self._servers:
            server.stop()


@dataclass(frozen=True)
class _OAuth2Setup:
    keys: Path
    issuer: str
    kid: str
    public_key_pem: bytes
    cert: Path
    key: Path
    username_attribute: str = "x_mailbox"

    def config(self, args_path: Path) -> str:
        # Dovecot looks the key up as <prefix>/<azp or "default">/<alg>/<kid>.
        key_dir = self.keys / "default" / "RS256"
        key_dir.mkdir(parents=True)
        (key_dir / self.kid).write_bytes(self.public_key_pem)
        for path in (self.keys, self.keys / "default", key_dir):
            path.chmod(0o755)
        (key_dir / self.kid).chmod(0o644)
        args_path.write_text(
            _OAUTH2_ARGS.format(
                keys=self.keys, issuer=self.issuer, username_attribute=self.username_attribute
            ),
            encoding="utf-8",
        )
        args_path.chmod(0o644)
        return _OAUTH2_CONFIG.format(cert=self.cert, key=self.key, args=args_path)


def _wait_until_ready(server: DovecotServer) -> None:
    """Poll until the port answers and a login succeeds; no blind sleeping."""
    deadline = time.monotonic() + _START_TIMEOUT
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            stderr = server.log.with_suffix(".stderr").read_text(errors="replace")
            pytest.fail(
                f"Dovecot {server.name} exited with {server.process.returncode}:\n"
                f"{stderr}\n{server.log_tail()}"
            )
        try:
            server.client(_PROBE_USER, _PROBE_PASSWORD).logout()
            return
        except (OSError, imaplib.IMAP4.error) as err:
            last_error = err
            time.sleep(0.02)
    server.stop()
    pytest.fail(f"Dovecot {server.name} did not accept a login: {last_error}\n{server.log_tail()}")


_CONFIG = """\
# Written by tests/fixtures_imap.py for one test session.
base_dir = {base_dir}
state_dir = {state_dir}
log_path = {log}
info_log_path = {log}
listen = 127.0.0.1
protocols = imap
ssl = {ssl}
disable_plaintext_auth = no
auth_mechanisms = {mechanisms}
auth_failure_delay = 0
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
first_valid_uid = {uid}
last_valid_uid = 0
first_valid_gid = {gid}
mail_location = maildir:~/Maildir
mail_fsync = never
# IDLE learns of mail delivered by other sessions through inotify where that works, else
# on this check (default 30 s); in containers it often does not, and the IDLE tests
# would then wait the full default.
mailbox_idle_check_interval = 1 secs
# Each session's commands land in ~/rawlog when that directory exists.
rawlog_dir = %h/rawlog
{capability}

passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {passwd_dir}/%u
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={home_root}/%u
}}

service imap-login {{
  # chroot needs root; these tests need no jail.
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps_port}
  }}
}}
service anvil {{
  chroot =
  # Without this the tests' deliberate failed logins slow every later login from
  # 127.0.0.1 (Dovecot's auth penalty, up to 15 seconds).
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
{extra}
"""

# Added by Dovecot.oauth2_variant: IMAPS with the test CA's certificate, and XOAUTH2 /
# OAUTHBEARER checked by an oauth2 passdb that validates the JWT locally against the
# tenant's key (Dovecot 2.3 syntax; 2.4 configures oauth2 differently).
_OAUTH2_CONFIG = """\
# The reasons (expired, bad signature, wrong user) land in the log, for the tests.
auth_verbose = yes
auth_debug = yes
ssl_cert = <{cert}
ssl_key = <{key}
passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {args}
}}
"""

_OAUTH2_ARGS = """\
introspection_mode = local
local_validation_key_dict = fs:posix:prefix={keys}/
issuers = {issuer}
username_attribute = {username_attribute}
"""


@dataclass
class ImapAccount:
    """A fresh mail account on a Dovecot server, with helpers that bypass lovbot."""

    server: DovecotServer
    username: str
    password: str
    home: Path

    @property
    def host(self) -> str:
        return self.server.host

    @property
    def port(self) -> int:
        return self.server.port

    def settings(self, **overrides: object) -> MailboxSettings:
        values: dict[str, object] = {
            "kind": "imap",
            "host": self.host,
            "port": self.port,
            "security": "none",
            "username": self.username,
            "password": SecretStr(self.password),
            "timeout": 10.0,
        }
        values.update(overrides)
        return MailboxSettings.model_validate(values)

    def on(self, server: DovecotServer) -> ImapAccount:
        """The same account, reached through another server (e.g. a capability variant)."""
        return ImapAccount(server, self.username, self.password, self.home)

    @contextlib.contextmanager
    def client(self) -> Iterator[IMAPClient]:
        client = self.server.client(self.username, self.password)
        try:
            yield client
        finally:
            client.logout()

    def append(
        self,
        raw: bytes,
        folder: str = "INBOX",
        flags: tuple[str, ...] = (),
        internal_date: datetime | None = None,
    ) -> int:
        """Deliver ``raw`` into ``folder`` (created if missing) and return its UID."""
        with self.client() as client:
            if not client.folder_exists(folder):
                client.create_folder(folder)
            response = client.append(folder, raw, flags=flags, msg_time=internal_date)
        match = _APPENDUID.search(response)
        assert match, response
        return int(match.group(1))

    def folders(self) -> list[str]:
        with self.client() as client:
            return sorted(name for _flags, _delimiter, name in client.list_folders())

    def uids(self, folder: str = "INBOX") -> list[int]:
        with self.client() as client:
            client.select_folder(folder, readonly=True)
            return sorted(client.search(["ALL"]))

    def messages(self, folder: str = "INBOX") -> list[bytes]:
        with self.client() as client:
            client.select_folder(folder, readonly=True)
            response = client.fetch(client.search(["ALL"]), ["BODY.PEEK[]"])
            return [response[uid][b"BODY[]"] for uid in sorted(response)]

    def flags(self, folder: str = "INBOX") -> dict[int, set[str]]:
        with self.client() as client:
            client.select_folder(folder, readonly=True)
            response = client.get_flags(client.search(["ALL"]))
            return {uid: {flag.decode() for flag in flags} for uid, flags in response.items()}

    def uidvalidity(self, folder: str = "INBOX") -> int:
        with self.client() as client:
            return int(client.folder_status(folder, ["UIDVALIDITY"])[b"UIDVALIDITY"])

    @contextlib.contextmanager
    def recorded_commands(self) -> Iterator[list[str]]:
        """Collect the IMAP commands (without tags) the server receives in the block.

        Uses Dovecot's rawlog of sessions opened inside the block, after login. The list is
        filled when the block ends; close the sessions inside it.
        """
        rawlog = self.home / "rawlog"
        rawlog.mkdir(parents=True, exist_ok=True)
        for path in (self.home, rawlog):
            os.chown(path, *self.server.mail_owner)
        commands: list[str] = []
        try:
            yield commands
        finally:
            deadline = time.monotonic() + 1
            # The session's imap process writes its log as it goes; wait until the
            # LOGOUT is in, so a just-closed session is complete.
            while True:
                lines = [
                    line
                    for path in sorted(rawlog.glob("*.in"))
                    for line in path.read_text(errors="replace").splitlines()
                ]
                if any(" LOGOUT" in line.upper() for line in lines):
                    break
                if time.monotonic() > deadline:
                    break
                time.sleep(0.02)
            shutil.rmtree(rawlog)
            # A line is "<timestamp> <tag> <command>"; keep the command.
            commands.extend(parts[2] for line in lines if len(parts := line.split(" ", 2)) == 3)


class DovecotUnavailable(Exception):
    """Dovecot is not installed, or cannot run as this user."""


@contextlib.contextmanager
def start_dovecot() -> Iterator[Dovecot]:
    """A running Dovecot in a fresh temporary directory, stopped and removed at exit."""
    binary = _find_dovecot()
    if binary is None:
        raise DovecotUnavailable("Dovecot is not installed (Debian: apt-get install dovecot-imapd)")

    if os.geteuid() == 0:
        # Dovecot refuses to run mail or login processes as root.
        try:
            account = pwd.getpwnam("dovecot")
        except KeyError:
            raise DovecotUnavailable("running as root needs the 'dovecot' system user") from None
        mail_uid, mail_gid = account.pw_uid, account.pw_gid
    else:
        mail_uid, mail_gid = os.getuid(), os.getgid()
    service_user = pwd.getpwuid(mail_uid).pw_name
    service_group = grp.getgrgid(mail_gid).gr_name

    directory = Path(tempfile.mkdtemp(prefix="lovbot-dovecot-"))
    # mkdtemp makes it 0700; Dovecot's unprivileged processes must get through it.
    directory.chmod(0o755)
    (directory / "passwd.d").mkdir(mode=0o755)
    home_root = directory / "home"
    home_root.mkdir()
    os.chown(home_root, mail_uid, mail_gid)

    server = Dovecot(binary, directory, mail_uid, mail_gid, service_user, service_group)
    server.add_user(_PROBE_USER, _PROBE_PASSWORD)
    try:
        server.main = server.start("main")
        yield server
    finally:
        server.stop_all()
        if not os.environ.get("LOVBOT_KEEP_DOVECOT"):
            shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    """A running Dovecot for the session (skipped, or failed on CI, when not installed)."""
    try:
        with start_dovecot() as server:
            yield server
    except DovecotUnavailable as err:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{err}; CI must run the IMAP tests")
        pytest.skip(f"!!! IMAP TESTS SKIPPED: {err} !!!")


@pytest.fixture
def imap_account(dovecot: Dovecot) -> ImapAccount:
    """A new, empty account on the session's Dovecot."""
    return dovecot.new_account()
