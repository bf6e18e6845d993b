"""Files held between two requests of one person: an upload awaiting confirmation, a one-time
download (初始密码表). They expire after an hour and a download is taken only once."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..db import rowcount
from ..errors import NotFound
from ..models import StashedFile

LIFETIME = timedelta(hours=1)


@dataclass(frozen=True)
class Held:
    """A file taken out of the stash (its row is gone)."""

    filename: str
    data: bytes


def stash(session: Session, owner_id: int, purpose: str, filename: str, data: bytes,
          now: datetime) -> str:
    """Keep `data` for its owner; the token that fetches it back."""
    session.execute(delete(StashedFile).where(StashedFile.created_at < now - LIFETIME))
    token = secrets.token_urlsafe(24)
    session.add(StashedFile(token=token, owner_id=owner_id, purpose=purpose, filename=filename[:200],
                            data=data, created_at=now))
    session.flush()
    return token


def fetch(session: Session, token: str, owner_id: int, purpose: str, now: datetime,
          take: bool = False, gone: str = "文件已过期或已被下载，请重新操作") -> StashedFile | Held:
    """The owner's file under `token`. `take` removes it in the same statement that finds it,
    so of two requests at once exactly one gets it (a one-time download, a confirmation posted
    twice); the other is told `gone`."""
    mine = (StashedFile.token == token[:64], StashedFile.owner_id == owner_id,
            StashedFile.purpose == purpose, StashedFile.created_at >= now - LIFETIME)
    if take:
        # DELETE … RETURNING, not a select then a delete: the second of two concurrent takes
        # waits for the first's row lock and then finds nothing.
        row = session.execute(delete(StashedFile).where(*mine)
                              .returning(StashedFile.filename, StashedFile.data)).first()
        if row is None:
            raise NotFound(gone)
        return Held(row.filename, row.data)
    found = session.scalar(select(StashedFile).where(*mine))
    if found is None:
        raise NotFound(gone)
    return found


def discard(session: Session, token: str, owner_id: int) -> bool:
    """Remove the owner's file; False when it was already gone (taken by a concurrent request:
    on PostgreSQL this DELETE waits for that request's commit, then finds nothing)."""
    deleted = session.execute(delete(StashedFile).where(StashedFile.token == token[:64],
                                                        StashedFile.owner_id == owner_id))
    return bool(rowcount(deleted))
