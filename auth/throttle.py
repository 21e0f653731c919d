"""Sign-in throttling: too many recent failures for an email, or from an address, and
further attempts are refused for a while without even checking the password.

Attempts are kept under a SHA-256 digest of the email or of the address, never in clear.
(A digest of an email can still be confirmed by someone who guesses the email: this
keeps addresses out of casual sight, it does not make the table anonymous.)
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from auth.models import LoginAttempt
from auth.tokens import rowcount
from engine.storage.models import utcnow


class LoginThrottle:
    """Counts failed sign-ins per email and per client address within a sliding window.

    ``ip_max_failures`` (default: ``max_failures``) may be set higher where many citizens
    share one address (carrier-grade NAT, terminals at a library or the town hall).
    ``scope`` keeps separate counts for separate doors: citizens' failures at the town
    hall's terminals must not lock its clerks out of the console (``"console"``), nor
    wrong one-time codes count as wrong passwords (``"second_factor"``).
    ``record`` flushes without committing: the caller commits, also when it goes on to
    refuse the sign-in, or the failure would not count.
    """

    def __init__(  # noqa: PLR0913 -- settings with defaults, all keyword-friendly
        self,
        db: Session,
        max_failures: int = 5,
        window: timedelta = timedelta(minutes=15),
        *,
        ip_max_failures: int | None = None,
        clock: Callable[[], datetime] = utcnow,
        scope: str = "",
    ) -> None:
        self.db = db
        self.scope = scope
        self.max_failures = max_failures
        self.ip_max_failures = max_failures if ip_max_failures is None else ip_max_failures
        self.window = window
        self.clock = clock

    def check(self, email: str, ip: str | None) -> int | None:
        """Seconds to wait before the next attempt, or None if an attempt may go ahead."""
        now = self.clock()
        waits = [self._wait(email_key(email, self.scope), self.max_failures, now)]
        if ip:
            waits.append(self._wait(ip_key(ip, self.scope), self.ip_max_failures, now))
        refused = [wait for wait in waits if wait is not None]
        return max(refused) if refused else None

    def record(self, email: str, ip: str | None, succeeded: bool) -> None:
        """Note an attempt. Successes do not wipe earlier failures: they age out."""
        now = self.clock()
        keys = [email_key(email, self.scope)] + ([ip_key(ip, self.scope)] if ip else [])
        self.db.add_all(LoginAttempt(key=key, succeeded=succeeded, at=now) for key in keys)
        self.db.flush()

    def forgive(self, email: str) -> None:
        """Forget the failures for ``email`` (not those of any address): after a password
        reset, which proves the mailbox, the lock protects a password that is gone."""
        self.db.execute(
            delete(LoginAttempt).where(
                LoginAttempt.key == email_key(email, self.scope),
                LoginAttempt.succeeded.is_(False),
            )
        )

    def delete_older_than(self, moment: datetime) -> int:
        """Forget attempts before ``moment`` (at least a window ago); returns how many."""
        return rowcount(self.db.execute(delete(LoginAttempt).where(LoginAttempt.at < moment)))

    def _wait(self, key: str, limit: int, now: datetime) -> int | None:
        # The newest `limit` failures within the window, newest first.
        failures = self.db.scalars(
            select(LoginAttempt.at)
            .where(
                LoginAttempt.key == key,
                LoginAttempt.succeeded.is_(False),
                LoginAttempt.at > now - self.window,
            )
            .order_by(LoginAttempt.at.desc())
            .limit(limit)
        ).all()
        if len(failures) < limit:
            return None
        # Attempts are allowed again once the limit-th newest failure leaves the window.
        remaining = failures[-1] + self.window - now
        return max(1, math.ceil(remaining.total_seconds()))


def email_key(email: str, scope: str = "") -> str:
    """The key an email's attempts are kept under."""
    return _digest(scope, "email", email.strip().lower())


def ip_key(ip: str, scope: str = "") -> str:
    """The key an address's attempts are kept under. IPv6 counts by /64 network: one
    subscriber usually holds a whole /64 and could otherwise change address at will."""
    try:
        address = ipaddress.ip_address(ip.strip())
    except ValueError:
        return _digest(scope, "ip", ip.strip())
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is None:
        return _digest(scope, "ip", str(ipaddress.IPv6Network((address, 64), strict=False)))
    mapped = getattr(address, "ipv4_mapped", None)
    return _digest(scope, "ip", str(mapped or address))


def _digest(scope: str, kind: str, value: str) -> str:
    # The citizens' scope ("") keeps the digests that were stored before scopes existed.
    prefix = f"{scope}/" if scope else ""
    return hashlib.sha256(f"{prefix}{kind}:{value}".encode("utf-8", "surrogatepass")).hexdigest()
