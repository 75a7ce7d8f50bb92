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
    # No follow-up is sent in these hours, Montréal time ("" for none).
    quiet_hours: str = "21:00-09:00"
    # Told to a person handed over to the team, in French and English.
    counsellor_hours_fr: str = "du lundi au vendredi, de 9 h à 17 h"
    counsellor_hours_en: str = "Monday to Friday, 9 a.m. to 5 p.m."
    knowledge_dir: Path = ROOT / "knowledge"

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        return cls(
            database_url=env.get("DATABASE_URL") or _default_database_url(),
            rasa_url=env.get("RASA_URL", cls.rasa_url).rstrip("/"),
            rasa_token=env.get("RASA_TOKEN", ""),
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
            quiet_hours=env.get("QUIET_HOURS", cls.quiet_hours),
            counsellor_hours_fr=env.get("COUNSELLOR_HOURS_FR", cls.counsellor_hours_fr),
            counsellor_hours_en=env.get("COUNSELLOR_HOURS_EN", cls.counsellor_hours_en),
        )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings.from_env()
