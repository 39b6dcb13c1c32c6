"""intake.mailbox against a real Dovecot (see fixtures_imap)."""

from __future__ import annotations

import logging
import socket
import time
from datetime import UTC, datetime, timedelta, timezone

import pytest
from fixtures_imap import Dovecot, ImapAccount
from pydantic import SecretStr

from intake.mailbox import (
    HANDLED_KEYWORD,
    FetchedMessage,
    ImapMailbox,
    MailboxError,
    MailboxLoginError,
    MailboxUnavailable,
    MaildirMailbox,
    open_mailbox,
)
from intake.settings import MailboxSettings

pytestmark = pytest.mark.imap

TARGETS = ["Behandlat", "Granska", "Karantän"]


def message(subject: str) -> bytes:
    return (
        f"From: utforare@example.se\r\nTo: lov@goteborg.se\r\nSubject: {subject}\r\n"
        f"\r\nText for {subject}.\r\n"
    ).encode()


def fill(account: ImapAccount, count: int) -> list[int]:
    return [account.append(message(f"m{number}")) for number in range(count)]


def commands_named(commands: list[str], name: str) -> list[str]:
    return [command for command in commands if command.upper().startswith(name)]


def test_open_mailbox_chooses_the_kind(tmp_path):
    imap = MailboxSettings(kind="imap", host="mail.example", port=993, username="lov")
    maildir = MailboxSettings(kind="maildir", path=tmp_path)
    assert isinstance(open_mailbox(imap), ImapMailbox)
    assert isinstance(open_mailbox(maildir), MaildirMailbox)


@pytest.mark.parametrize(
    ("host", "username", "identity"),
    [
        ("mail.example", "lov", "imap://lov@mail.example:993"),
        ("mail.example", "lov@goteborg.se", "imap://lov%40goteborg.se@mail.example:993"),
        ("::1", "lov", "imap://lov@[::1]:993"),
    ],
)
def test_identity_names_user_and_server_but_not_the_password(host, username, identity):
    settings = MailboxSettings(
        kind="imap", host=host, port=993, username=username, password=SecretStr("hemligt")
    )
    assert ImapMailbox(settings).identity == identity


def test_select_reports_the_folder(imap_account):
    fill(imap_account, 2)
    with ImapMailbox(imap_account.settings()) as mailbox:
        status = mailbox.select("INBOX")
    assert status.uidvalidity == imap_account.uidvalidity()
    assert status.uidnext == 3
    assert status.exists == 2


def test_select_of_a_missing_folder_is_a_mailbox_error(imap_account):
    with ImapMailbox(imap_account.settings()) as mailbox, pytest.raises(MailboxError) as raised:
        mailbox.select("Finns-inte")
    assert type(raised.value) is MailboxError


def test_new_uids_after_a_watermark(imap_account):
    uids = fill(imap_account, 3)
    with ImapMailbox(imap_account.settings()) as mailbox:
        mailbox.select("INBOX")
        assert mailbox.new_uids(0) == uids
        assert mailbox.new_uids(uids[0]) == uids[1:]


def test_new_uids_is_empty_when_nothing_is_newer(imap_account):
    uids = fill(imap_account, 2)
    with imap_account.client() as client:
        client.select_folder("INBOX")
        # The quirk being guarded against: "n:*" above the last UID finds the last one.
        assert client.search(["UID", f"{uids[-1] + 1}:*"]) == [uids[-1]]
    with (
        imap_account.recorded_commands() as commands,
        ImapMailbox(imap_account.settings()) as mailbox,
    ):
        mailbox.select("INBOX")
        assert mailbox.new_uids(uids[-1]) == []
    assert commands_named(commands, "UID SEARCH") == [f"UID SEARCH UID {uids[-1] + 1}:*"]


def test_new_uids_of_an_empty_folder(imap_account):
    with ImapMailbox(imap_account.settings()) as mailbox:
        mailbox.select("INBOX")
        assert mailbox.new_uids(0) == []


def test_fetch_is_one_command_and_leaves_messages_unseen(imap_account):
    received = datetime(2025, 3, 4, 9, 30, 15, tzinfo=timezone(timedelta(hours=1)))
    uids = [imap_account.append(message(f"m{n}"), internal_date=received) for n in range(3)]
    with (
        imap_account.recorded_commands() as commands,
        ImapMailbox(imap_account.settings()) as mailbox,
    ):
        mailbox.select("INBOX")
        fetched = mailbox.fetch([uids[2], uids[0], uids[1], 999])

    assert fetched == [
        FetchedMessage(uid, message(f"m{n}"), received) for n, uid in enumerate(uids)
    ]
    assert all(m.internal_date and m.internal_date.tzinfo for m in fetched)
    assert len(commands_named(commands, "UID FETCH")) == 1
    assert "BODY.PEEK[]" in commands_named(commands, "UID FETCH")[0]
    assert all("\\Seen" not in flags for flags in imap_account.flags().values())


def test_fetch_of_nothing_sends_nothing(imap_account):
    with (
        imap_account.recorded_commands() as commands,
        ImapMailbox(imap_account.settings()) as mailbox,
    ):
        mailbox.select("INBOX")
        assert mailbox.fetch([]) == []
    assert not commands_named(commands, "UID FETCH")


def test_ensure_folders_creates_missing_ones_with_non_ascii_names(imap_account):
    imap_account.append(message("old"), folder="Granska")
    with ImapMailbox(imap_account.settings()) as mailbox:
        mailbox.ensure_folders([*TARGETS, "INBOX"])
        mailbox.ensure_folders(TARGETS)
    assert imap_account.folders() == sorted(["INBOX", *TARGETS])
    assert imap_account.messages("Granska") == [message("old")]


def _two_mine_and_a_foreign_deleted_one(account: ImapAccount) -> tuple[list[int], int]:
    mine = fill(account, 2)
    foreign = account.append(message("foreign"), flags=("\\Deleted",))
    return mine, foreign


@pytest.mark.parametrize("target", TARGETS)
def test_move_uses_move_and_expunges_nothing_else(imap_account, target):
    mine, foreign = _two_mine_and_a_foreign_deleted_one(imap_account)
    with (
        imap_account.recorded_commands() as commands,
        ImapMailbox(imap_account.settings()) as mailbox,
    ):
        mailbox.ensure_folders([target])
        mailbox.select("INBOX")
        mailbox.move(mine, target)
        mailbox.move(mine, target)  # a repeat after a crash changes nothing

    assert imap_account.messages(target) == [message("m0"), message("m1")]
    assert imap_account.uids("INBOX") == [foreign]
    assert "\\Deleted" in imap_account.flags("INBOX")[foreign]
    assert commands_named(commands, "UID MOVE")
    assert not commands_named(commands, "EXPUNGE")


def test_move_without_move_capability_copies_and_expunges_only_those_uids(
    dovecot: Dovecot, imap_account: ImapAccount
):
    mine, foreign = _two_mine_and_a_foreign_deleted_one(imap_account)
    account = imap_account.on(dovecot.variant(without=frozenset({"MOVE"})))
    with account.recorded_commands() as commands, ImapMailbox(account.settings()) as mailbox:
        mailbox.ensure_folders(["Behandlat"])
        mailbox.select("INBOX")
        mailbox.move(mine, "Behandlat")
        mailbox.move(mine, "Behandlat")

    assert imap_account.messages("Behandlat") == [message("m0"), message("m1")]
    assert imap_account.uids("INBOX") == [foreign]
    assert "\\Deleted" in imap_account.flags("INBOX")[foreign]
    assert not commands_named(commands, "UID MOVE")
    uid_set = ",".join(map(str, mine))
    assert commands_named(commands, "UID COPY") == [f'UID COPY {uid_set} "Behandlat"']
    assert commands_named(commands, "UID EXPUNGE") == [f"UID EXPUNGE {uid_set}"]
    assert not commands_named(commands, "EXPUNGE")


def test_move_without_move_or_uidplus_copies_and_marks_but_never_expunges(
    dovecot: Dovecot, imap_account: ImapAccount
):
    mine, foreign = _two_mine_and_a_foreign_deleted_one(imap_account)
    account = imap_account.on(dovecot.variant(without=frozenset({"MOVE", "UIDPLUS"})))
    with account.recorded_commands() as commands, ImapMailbox(account.settings()) as mailbox:
        mailbox.ensure_folders(["Behandlat"])
        mailbox.select("INBOX")
        mailbox.move(mine, "Behandlat")
        mailbox.move(mine, "Behandlat")  # the keyword keeps a repeat from copying again

    assert imap_account.messages("Behandlat") == [message("m0"), message("m1")]
    assert imap_account.uids("INBOX") == [*mine, foreign]
    flags = imap_account.flags("INBOX")
    assert all(HANDLED_KEYWORD in flags[uid] and "\\Deleted" not in flags[uid] for uid in mine)
    assert "\\Deleted" in flags[foreign]
    assert len(commands_named(commands, "UID COPY")) == 1
    assert not [command for command in commands if "EXPUNGE" in command.upper()]
    assert not [command for command in commands if "\\DELETED" in command.upper()]


def test_move_to_a_missing_folder_is_a_mailbox_error(imap_account):
    uids = fill(imap_account, 1)
    with ImapMailbox(imap_account.settings()) as mailbox:
        mailbox.select("INBOX")
        with pytest.raises(MailboxError):
            mailbox.move(uids, "Finns-inte")
    assert imap_account.uids("INBOX") == uids


def test_wrong_password_is_a_login_error(imap_account):
    mailbox = ImapMailbox(imap_account.settings(password=SecretStr("fel-lösenord")))
    with pytest.raises(MailboxLoginError) as raised:
        mailbox.connect()
    assert "fel-lösenord" not in str(raised.value)
    mailbox.close()


def test_a_non_ascii_password_logs_in(dovecot: Dovecot):
    account = dovecot.new_account(password="Göteborg-åäö")
    with ImapMailbox(account.settings()) as mailbox:
        assert mailbox.select("INBOX").exists == 0


def test_credentials_are_never_logged(dovecot: Dovecot, caplog):
    caplog.set_level(logging.DEBUG)
    for password in ("ascii-hemligt", "hemligt-åäö"):
        account = dovecot.new_account(password=password)
        with ImapMailbox(account.settings()) as mailbox:
            mailbox.select("INBOX")
        assert account.username in caplog.text
        assert password not in caplog.text
    assert "**REDACTED**" in caplog.text


def test_nothing_listening_is_unavailable(imap_account):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(MailboxUnavailable):
        ImapMailbox(imap_account.settings(port=port)).connect()


def test_a_silent_server_times_out_within_the_timeout(imap_account):
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()  # accepts the connection in the kernel, never says a word
        settings = imap_account.settings(port=silent.getsockname()[1], timeout=0.3)
        started = time.monotonic()
        with pytest.raises(MailboxUnavailable) as raised:
            ImapMailbox(settings).connect()
        elapsed = time.monotonic() - started
    assert isinstance(raised.value.__cause__, TimeoutError)
    assert 0.3 <= elapsed < 2


def test_tls_against_a_plain_server_is_unavailable(imap_account):
    with pytest.raises(MailboxUnavailable):
        ImapMailbox(imap_account.settings(security="ssl")).connect()


def test_starttls_that_the_server_does_not_offer_is_a_mailbox_error(imap_account):
    with pytest.raises(MailboxError) as raised:
        ImapMailbox(imap_account.settings(security="starttls")).connect()
    assert type(raised.value) is MailboxError


def test_a_lost_connection_is_unavailable(dovecot: Dovecot, imap_account: ImapAccount):
    fill(imap_account, 1)
    mailbox = ImapMailbox(imap_account.settings())
    mailbox.connect()
    mailbox.select("INBOX")
    dovecot.main.kick(imap_account.username)
    with pytest.raises(MailboxUnavailable):
        mailbox.new_uids(0)
    with pytest.raises(MailboxUnavailable):
        mailbox.fetch([1])
    mailbox.close()
    mailbox.connect()  # a retry works
    assert mailbox.select("INBOX").exists == 1
    mailbox.close()


def test_a_killed_server_is_unavailable(dovecot: Dovecot, imap_account: ImapAccount):
    server = dovecot.start("doomed")
    mailbox = ImapMailbox(imap_account.on(server).settings())
    mailbox.connect()
    mailbox.select("INBOX")
    server.kill_sessions(imap_account.username)
    server.stop()
    with pytest.raises(MailboxUnavailable):
        mailbox.new_uids(0)
    mailbox.close()
    with pytest.raises(MailboxUnavailable):
        mailbox.connect()


def test_close_never_raises_and_calls_need_a_connection(imap_account):
    mailbox = ImapMailbox(imap_account.settings())
    mailbox.close()
    with pytest.raises(MailboxError):
        mailbox.select("INBOX")
    mailbox.connect()
    mailbox.close()
    mailbox.close()


def test_internal_date_in_utc_is_aware(imap_account):
    received = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    uid = imap_account.append(message("utc"), internal_date=received)
    with ImapMailbox(imap_account.settings()) as mailbox:
        mailbox.select("INBOX")
        [fetched] = mailbox.fetch([uid])
    assert fetched.internal_date == received
    assert fetched.internal_date.utcoffset() == timedelta(0)
