"""All configuration, read once from the environment (see README: Environment)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _default_database_url() -> str:
    return f"sqlite:///{ROOT / 'var' / 'assistant.db'}"


@dataclass(frozen=True)
class Settings:
    database_url: str = field(default_factory=_default_database_url)
    rasa_url: str = "http://localhost:5005"
    rasa_token: str = ""
    # Production mode: conversations not yet consented to are shared by the Rasa replicas
    # here (in memory, never on disk); empty: each process keeps its own.
    redis_url: str = ""
    # Where the bridge's webhook server listens, behind the front (production mode).
    webhook_listen: str = "127.0.0.1:8443"
    # The front's address: the console then takes a person's address from X-Forwarded-For.
    trusted_proxy: str = ""
    # Where Rasa and the action server listen: loopback unless a private network needs more.
    internal_host: str = "127.0.0.1"
    # The console, served behind an HTTPS front in production.
    console_host: str = "127.0.0.1"
    telegram_token: str = ""
    telegram_base_url: str = ""
    telegram_webhook_url: str = ""
    counsellor_chat_id: str = ""
    console_admin_email: str = ""
    console_admin_password: str = ""
    console_secret_key: str = ""
    console_port: int = 8080
    # Session cookies only over HTTPS; set CONSOLE_COOKIE_SECURE=0 for a console on plain http.
    console_cookie_secure: bool = True
    console_public_url: str = "http://localhost:8080"
    telegram_bot_username: str = ""
    # Messages to chats in any second, all bridges of the bot together (bot/pace.py): a margin
    # under Telegram's 30, for the moments between our count and Telegram's.
    telegram_messages_per_second: int = 25
    # No follow-up is sent in these hours, Montréal time ("" for none).
    quiet_hours: str = "21:00-09:00"
    # When counsellors answer ("du lundi au vendredi, de 9 h à 17 h"), told to a person handed
    # over to the team; empty: no hours are said (none are sourced, so none are invented).
    counsellor_hours_fr: str = ""
    counsellor_hours_en: str = ""
    # How to reach the team, told where a counsellor cannot answer (the webinars' web chat);
    # empty: the person is pointed to the Telegram bot or to the team during their webinar.
    organisation_contact_fr: str = ""
    organisation_contact_en: str = ""
    # Law 25 retention, in days (app/retention.py): a person inactive this long is erased;
    # past the other periods, the rows of that kind are deleted.
    retention_conversation_days: int = 365
    retention_inbound_messages_days: int = 90
    retention_handoffs_days: int = 365
    retention_button_payloads_days: int = 30
    retention_audit_log_days: int = 730
    retention_mentor_requests_days: int = 365
    retention_webinar_attendees_days: int = 180
    # An organisation's details nobody confirmed for this long are flagged: "à revérifier" in the
    # console, "information ancienne" to candidates (app/organisations.is_stale).
    organisation_stale_after_days: int = 365
    knowledge_dir: Path = ROOT / "knowledge"

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        return cls(
            database_url=env.get("DATABASE_URL") or _default_database_url(),
            rasa_url=env.get("RASA_URL", cls.rasa_url).rstrip("/"),
            rasa_token=env.get("RASA_TOKEN", ""),
            redis_url=env.get("REDIS_URL", ""),
            webhook_listen=env.get("WEBHOOK_LISTEN") or cls.webhook_listen,
            trusted_proxy=env.get("TRUSTED_PROXY", ""),
            internal_host=env.get("INTERNAL_HOST") or cls.internal_host,
            console_host=env.get("CONSOLE_HOST") or cls.console_host,
            telegram_token=env.get("TELEGRAM_TOKEN", ""),
            telegram_base_url=env.get("TELEGRAM_BASE_URL", ""),
            telegram_webhook_url=env.get("TELEGRAM_WEBHOOK_URL", ""),
            counsellor_chat_id=env.get("COUNSELLOR_CHAT_ID", ""),
            console_admin_email=env.get("CONSOLE_ADMIN_EMAIL", ""),
            console_admin_password=env.get("CONSOLE_ADMIN_PASSWORD", ""),
            console_secret_key=env.get("CONSOLE_SECRET_KEY", ""),
            console_port=int(env.get("CONSOLE_PORT", cls.console_port)),
            console_cookie_secure=env.get("CONSOLE_COOKIE_SECURE", "1") not in ("0", "false", "no"),
            console_public_url=env.get("CONSOLE_PUBLIC_URL", cls.console_public_url).rstrip("/"),
            telegram_bot_username=env.get("TELEGRAM_BOT_USERNAME", "").lstrip("@"),
            telegram_messages_per_second=int(
                env.get("TELEGRAM_MESSAGES_PER_SECOND") or cls.telegram_messages_per_second
            ),
            quiet_hours=env.get("QUIET_HOURS", cls.quiet_hours),
            counsellor_hours_fr=env.get("COUNSELLOR_HOURS_FR", cls.counsellor_hours_fr),
            counsellor_hours_en=env.get("COUNSELLOR_HOURS_EN", cls.counsellor_hours_en),
            organisation_contact_fr=env.get("ORGANISATION_CONTACT_FR", ""),
            organisation_contact_en=env.get("ORGANISATION_CONTACT_EN", ""),
            retention_conversation_days=int(env.get("RETENTION_CONVERSATION_DAYS", cls.retention_conversation_days)),
            retention_inbound_messages_days=int(
                env.get("RETENTION_INBOUND_MESSAGES_DAYS", cls.retention_inbound_messages_days)
            ),
            retention_handoffs_days=int(env.get("RETENTION_HANDOFFS_DAYS", cls.retention_handoffs_days)),
            retention_button_payloads_days=int(
                env.get("RETENTION_BUTTON_PAYLOADS_DAYS", cls.retention_button_payloads_days)
            ),
            retention_audit_log_days=int(env.get("RETENTION_AUDIT_LOG_DAYS", cls.retention_audit_log_days)),
            retention_mentor_requests_days=int(
                env.get("RETENTION_MENTOR_REQUESTS_DAYS", cls.retention_mentor_requests_days)
            ),
            retention_webinar_attendees_days=int(
                env.get("RETENTION_WEBINAR_ATTENDEES_DAYS", cls.retention_webinar_attendees_days)
            ),
            organisation_stale_after_days=int(
                env.get("ORGANISATION_STALE_AFTER_DAYS", cls.organisation_stale_after_days)
            ),
        )

    def retention_days(self) -> dict[str, int]:
        """Each kind of data and how many days it is kept (app/retention.py)."""
        return {
            "conversations": self.retention_conversation_days,
            "inbound_messages": self.retention_inbound_messages_days,
            "handoffs": self.retention_handoffs_days,
            "button_payloads": self.retention_button_payloads_days,
            "audit_log": self.retention_audit_log_days,
            "mentor_requests": self.retention_mentor_requests_days,
            "webinar_attendees": self.retention_webinar_attendees_days,
        }


# What the front or the REST channel answers when a message was not handled (a replica or the
# action server restarting, a store down): the sender sends it again (rasa_components/turns.py).
SEND_AGAIN_STATUSES = frozenset({502, 503, 504})


def channel_headers(token: str) -> dict[str, str]:
    """What the bridge and the console send to the REST channel: the channel refuses any
    caller without the Rasa token (rasa_components/channels.py)."""
    return {"Authorization": f"Bearer {token}"} if token else {}


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings.from_env()
