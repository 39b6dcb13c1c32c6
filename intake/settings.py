"""lovbot's configuration: one ``Settings`` built at the entry point and passed down.

Sources, strongest first: environment variables ``LOVBOT_<SECTION>__<KEY>`` (lists as JSON),
then the TOML file (``--config FILE`` or ``LOVBOT_CONFIG``), then the embedded defaults
below. The defaults run without any server: a Maildir mailbox, SQLite and a file outbox.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, BaseModel, Field, SecretStr, ValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from outbox.limits import SendingLimits
from parsers.errors import LovbotError

__all__ = [
    "DatabaseSettings",
    "DigestSettings",
    "FolderSettings",
    "GraphSettings",
    "MailboxSettings",
    "OAuth2Settings",
    "PollSettings",
    "RegisterSettings",
    "RetentionSettings",
    "RoutingSettings",
    "SendersSettings",
    "Settings",
    "SettingsError",
    "SmtpSettings",
    "WebSettings",
    "load_settings",
]

Security = Literal["ssl", "starttls", "none"]
# How lovbot signs in: the username and password, or an app-only OAuth2 token ([oauth2]).
Auth = Literal["password", "oauth2"]

OUTLOOK_SCOPE = "https://outlook.office365.com/.default"
GRAPH_SCOPE = "https://graph.microsoft.com/.default"


class MailboxSettings(BaseModel):
    kind: Literal["imap", "maildir", "graph"] = "maildir"
    auth: Auth = "password"
    host: str = "localhost"
    port: int = 993
    security: Security = "ssl"
    username: str = ""
    password: SecretStr = SecretStr("")
    folder: str = "INBOX"
    # The Maildir; for kind = "graph" the directory of lovbot's Graph state (UIDs, delta links).
    path: Path = Path("var/mailbox")
    # Seconds for every network operation; a hung server must never hang the poller.
    timeout: float = Field(default=30.0, gt=0)
    batch_size: int = Field(default=100, ge=1, le=5000)


class SmtpSettings(BaseModel):
    # "graph" sends with Microsoft Graph's sendMail as from_address instead of SMTP.
    kind: Literal["smtp", "graph"] = "smtp"
    host: str | None = None
    # Default: the mailbox's auth (see Settings).
    auth: Auth | None = None
    port: int = 587
    security: Security = "starttls"
    username: str = ""
    password: SecretStr = SecretStr("")
    from_address: str = "LOV@stadshuset.goteborg.se"
    timeout: float = Field(default=30.0, gt=0)
    # Used when no host is configured: each outgoing mail becomes an .eml file here.
    outbox_dir: Path = Path("var/outbox")
    max_attempts: int = Field(default=20, ge=1)
    # The sending mailbox's limits (outbox/limits.py): Exchange Online allows 30 messages
    # a minute and 10,000 recipients a day, and blocks a mailbox over the daily limit for
    # 24 hours. Unset: no limit. Every mail lovbot sends has one recipient.
    max_per_minute: int | None = Field(default=None, ge=1)
    # At least 10: a tenth of it is kept for orders and digests (outbox/limits.py).
    max_per_day: int | None = Field(default=None, ge=10)

    def limits(self) -> SendingLimits:
        return SendingLimits(per_minute=self.max_per_minute, per_day=self.max_per_day)


class OAuth2Settings(BaseModel):
    """An Entra ID app registration signing in app-only (client-credentials flow)."""

    tenant_id: str = ""
    client_id: str = ""
    client_secret: SecretStr = SecretStr("")
    # Instead of a secret: a PEM file with the private key and its certificate (uploaded
    # to the app registration), which Microsoft recommends for production.
    certificate_path: Path | None = None
    authority: str = "https://login.microsoftonline.com"
    # Unset: Exchange Online's IMAP/SMTP scope, or Graph's when a Graph route is used.
    scope: str | None = None

    def scope_for(self, *, graph: bool) -> str:
        if self.scope:
            return self.scope
        return GRAPH_SCOPE if graph else OUTLOOK_SCOPE


class GraphSettings(BaseModel):
    url: str = "https://graph.microsoft.com/v1.0"
    timeout: float = Field(default=30.0, gt=0)


class DatabaseSettings(BaseModel):
    url: str = "sqlite:///var/lovbot.db"


class SendersSettings(BaseModel):
    trusted_domains: list[str] = ["goteborg.se"]
    municipal_domains: list[str] = ["goteborg.se"]
    # Addresses or domains of approved private providers outside trusted_domains.
    known_providers: list[str] = []
    # RFC 3834: never flood one sender; over the limit the message goes to Granska. Counted
    # by the messages' own arrival times, so a backlog read at once is not one hour's mail.
    max_replies_per_hour: int = Field(default=30, ge=0)
    # A mail loop: a sender answering our automated mail with the same subject again and
    # again. After this many answers on one subject within an hour, no more.
    reply_loop_after: int = Field(default=4, ge=1)
    # Backscatter: read the Authentication-Results (RFC 8601) our receiving server writes.
    # An unknown sender is answered only when DMARC (or aligned SPF/DKIM) passes; a trusted
    # domain that fails DMARC goes to Granska unanswered. Without that header, as before.
    check_authentication: bool = True
    # The authserv-id that names our receiving server's header. "" is Exchange Online,
    # which writes the header without one. Only the topmost header is read (see cases.py).
    authserv_id: str = ""


class FolderSettings(BaseModel):
    handled: str = "Behandlat"
    review: str = "Granska"
    quarantine: str = "Karantän"


class PollSettings(BaseModel):
    interval_seconds: int = Field(default=60, ge=5)
    # lovbot run waits on one IMAP connection with IDLE where the server has it.
    idle: bool = True
    # Below the 30-minute limit of RFC 3501 / RFC 2177, which Exchange enforces sooner.
    idle_renew_seconds: int = Field(default=600, ge=1, le=29 * 60)
    # Processes that read messages while lovbot writes to the database (intake/readers.py);
    # unset: one fewer than the machine's cores, at most 4; 0: read in the poller itself.
    readers: int | None = Field(default=None, ge=0, le=16)


class RoutingSettings(BaseModel):
    intraservice: str = "intraservice@goteborg.se"
    kom: str = "kom@goteborg.se"
    eku: str = "eku@goteborg.se"
    hold_orders: bool = False


class DigestSettings(BaseModel):
    to: str = "eku@goteborg.se"
    cron: str = "0 7 * * mon-fri"
    timezone: str = "Europe/Stockholm"
    awaiting_days: int = Field(default=5, ge=0)
    poll_stale_minutes: int = Field(default=60, ge=1)


class RetentionSettings(BaseModel):
    """Gallring: days a raw message and its attachments are kept, per status.

    Counted from the case's last change, or for mail without a case from when it was
    recorded. The case, its masked facts and the audit log stay. Set these from the city's
    dokumenthanteringsplan; the defaults (two years for case mail, one for quarantined,
    90 days for automated mail and duplicates) are placeholders until it says otherwise.
    """

    complete: int = Field(default=730, ge=1)
    awaiting_information: int = Field(default=730, ge=1)
    needs_review: int = Field(default=730, ge=1)
    ignored: int = Field(default=90, ge=1)  # automated mail: recorded, never a case
    duplicate: int = Field(default=90, ge=1)
    failed: int = Field(default=365, ge=1)  # Karantän
    cron: str = "30 2 * * *"  # daily, Swedish time, in `lovbot run`

    def days(self) -> dict[str, int]:
        return self.model_dump(exclude={"cron"})


class WebSettings(BaseModel):
    """The review app (``lovbot web``, issue 9)."""

    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=1, le=65535)
    # Where officers reach the app; the digest links to case pages under it. The session
    # cookie is Secure unless this is a localhost address.
    base_url: str = "http://127.0.0.1:8080"
    # Signs the session cookie. Empty: a random key per start, so sign-ins end at restart.
    secret_key: SecretStr = SecretStr("")
    session_hours: int = Field(default=8, ge=1, le=24)
    # Sign-in with local accounts (`lovbot user add`): the embedded default.
    local_accounts: bool = True
    # OpenID Connect against Entra ID: the tenant's v2.0 metadata URL
    # https://login.microsoftonline.com/<tenant>/v2.0/.well-known/openid-configuration
    # ("common" fails the issuer check). Empty: no OIDC sign-in.
    oidc_metadata_url: str = ""
    oidc_client_id: str = ""
    oidc_client_secret: SecretStr = SecretStr("")


class RegisterSettings(BaseModel):
    """The register of providers and units (issue 10)."""

    # A register CSV (`lovbot register export`) that `lovbot check` matches unit names
    # against, so check stays offline; the poller reads the database's register.
    file: Path | None = None
    # Daily, Swedish time, in `lovbot run`: what complete cases ask of the register today.
    cron: str = "15 0 * * *"
    # seed 001: the city tells a provider at least three months before a contract period
    # ends whether the option is taken; the digest warns this many days before the end.
    contract_lead_days: int = Field(default=92, ge=1)
    # The digest names units that have been full for longer than this.
    full_days: int = Field(default=30, ge=1)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="LOVBOT_",
        env_nested_delimiter="__",
        extra="ignore",
    )

    mailbox: MailboxSettings = MailboxSettings()
    smtp: SmtpSettings = SmtpSettings()
    oauth2: OAuth2Settings = OAuth2Settings()
    graph: GraphSettings = GraphSettings()
    database: DatabaseSettings = DatabaseSettings()
    senders: SendersSettings = SendersSettings()
    folders: FolderSettings = FolderSettings()
    poll: PollSettings = PollSettings()
    routing: RoutingSettings = RoutingSettings()
    digest: DigestSettings = DigestSettings()
    retention: RetentionSettings = RetentionSettings()
    web: WebSettings = WebSettings()

    @property
    def smtp_auth(self) -> Auth:
        """``[smtp] auth``, defaulting to the mailbox's."""
        return self.smtp.auth or self.mailbox.auth

    # "register" would shadow BaseSettings' own attribute: the section keeps its name by alias.
    register_: RegisterSettings = Field(
        default=RegisterSettings(),
        validation_alias=AliasChoices("register", "lovbot_register"),
    )


def load_settings(config: Path | None = None) -> Settings:
    """Build the settings from ``config`` (or ``LOVBOT_CONFIG``), the environment and defaults."""
    path = config or (
        Path(os.environ["LOVBOT_CONFIG"]) if os.environ.get("LOVBOT_CONFIG") else None
    )
    if path is not None and not path.is_file():
        raise FileNotFoundError(f"Konfigurationsfilen finns inte: {path}")

    class _Settings(Settings):
        @classmethod
        def settings_customise_sources(
            cls,
            settings_cls: type[BaseSettings],
            init_settings: PydanticBaseSettingsSource,
            env_settings: PydanticBaseSettingsSource,
            dotenv_settings: PydanticBaseSettingsSource,
            file_secret_settings: PydanticBaseSettingsSource,
        ) -> tuple[PydanticBaseSettingsSource, ...]:
            sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
            if path is not None:
                sources.append(TomlConfigSettingsSource(settings_cls, toml_file=path))
            return tuple(sources)

    try:
        return _Settings()
    except ValidationError as err:
        raise SettingsError(_in_swedish(err, path)) from None


class SettingsError(LovbotError):
    """The configuration (file or environment) cannot be used; the message says where."""


# pydantic's error types, as the operator reads them; other types keep pydantic's text.
_SAID = {
    "greater_than_equal": "måste vara minst {ge}",
    "greater_than": "måste vara större än {gt}",
    "less_than_equal": "får vara högst {le}",
    "int_parsing": "måste vara ett heltal",
    "int_from_float": "måste vara ett heltal",
    "float_parsing": "måste vara ett tal",
    "bool_parsing": "måste vara true eller false",
    "literal_error": "måste vara något av {expected}",
    "missing": "saknas",
    "extra_forbidden": "finns inte som inställning",
    "string_type": "måste vara en text",
    "list_type": "måste vara en lista",
}


def _in_swedish(err: ValidationError, path: Path | None) -> str:
    """One line per wrong setting, named as in the TOML file (``smtp.max_per_day``). The
    value given is not repeated: it may be a password."""
    lines = []
    for error in err.errors():
        where = ".".join(str(part) for part in error["loc"])
        said = _SAID.get(error["type"])
        text = said.format(**error.get("ctx", {})) if said else error["msg"]
        lines.append(f"  {where}: {text}")
    source = f"i {path} eller miljövariablerna LOVBOT_*" if path else "i miljövariablerna LOVBOT_*"
    return f"Inställningarna {source} går inte att använda:\n" + "\n".join(lines)
