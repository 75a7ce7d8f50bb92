"""Console accounts: argon2 password hashes, the first admin from the environment, log-in
with a lock after repeated failures, and the decorators that guard every page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from functools import wraps
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import abort, g, redirect, request, session, url_for
from sqlalchemy import func, select

from app.db import session_scope
from app.models import ConsoleUser, utcnow
from app.settings import Settings

ROLES = ("counsellor", "admin")
MAX_FAILED_LOGINS = 5
LOCK_MINUTES = 15
MIN_PASSWORD_LENGTH = 12
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(hashed: str, password: str) -> bool:
    try:
        return _hasher.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_user(session_, email: str, name: str, password: str, role: str = "counsellor") -> ConsoleUser:
    if role not in ROLES:
        raise ValueError(f"unknown role {role}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"password shorter than {MIN_PASSWORD_LENGTH} characters")
    user = ConsoleUser(
        email=normalise_email(email), name=name.strip(), password_hash=hash_password(password), role=role
    )
    session_.add(user)
    return user


def ensure_first_admin(settings: Settings) -> None:
    """The first admin comes from CONSOLE_ADMIN_EMAIL / CONSOLE_ADMIN_PASSWORD, once."""
    if not (settings.console_admin_email and settings.console_admin_password):
        return
    with session_scope() as s:
        email = normalise_email(settings.console_admin_email)
        if s.scalar(select(ConsoleUser).where(ConsoleUser.email == email)) is None:
            create_user(s, email, email.split("@")[0], settings.console_admin_password, "admin")


def authenticate(email: str, password: str, now: datetime | None = None) -> ConsoleUser | str:
    """The user, or why not: "unknown" and "wrong" are told the same way to the person;
    "locked" after MAX_FAILED_LOGINS failures in a row, for LOCK_MINUTES."""
    now = now or utcnow()
    with session_scope() as s:
        user = s.scalar(select(ConsoleUser).where(func.lower(ConsoleUser.email) == normalise_email(email)))
        if user is None or not user.active:
            return "wrong"
        locked_until = user.locked_until
        if locked_until is not None and locked_until.replace(tzinfo=locked_until.tzinfo or timezone.utc) > now:
            return "locked"
        if not password_matches(user.password_hash, password):
            user.failed_logins += 1
            if user.failed_logins >= MAX_FAILED_LOGINS:
                user.locked_until = now + timedelta(minutes=LOCK_MINUTES)
                user.failed_logins = 0
            return "wrong"
        user.failed_logins, user.locked_until, user.last_login_at = 0, None, now
        s.flush()
        s.expunge(user)
        return user


def current_user() -> ConsoleUser | None:
    if "user" not in g:
        user_id = session.get("user_id")
        g.user = None
        if user_id is not None:
            with session_scope() as s:
                user = s.get(ConsoleUser, user_id)
                if user is not None and user.active:
                    s.expunge(user)
                    g.user = user
    return g.user


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if current_user() is None:
            return redirect(url_for("auth.login", next=request.full_path))
        return view(*args, **kwargs)

    return guarded


def admin_required(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    @login_required
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if current_user().role != "admin":
            abort(403)
        return view(*args, **kwargs)

    return guarded
