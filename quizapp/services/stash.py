"""Files held between two requests of one person: an upload awaiting confirmation, a one-time
download (初始密码表). They expire after an hour and a download is taken only once."""
from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..errors import NotFound
from ..models import StashedFile

LIFETIME = timedelta(hours=1)


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
          take: bool = False) -> StashedFile:
    """The owner's file under `token`; `take` removes it (a one-time download)."""
    found = session.scalar(select(StashedFile).where(
        StashedFile.token == token[:64], StashedFile.owner_id == owner_id,
        StashedFile.purpose == purpose, StashedFile.created_at >= now - LIFETIME))
    if found is None:
        raise NotFound("文件已过期或已被下载，请重新操作")
    if take:
        session.delete(found)
        session.flush()
    return found


def discard(session: Session, token: str, owner_id: int) -> None:
    session.execute(delete(StashedFile).where(StashedFile.token == token[:64],
                                              StashedFile.owner_id == owner_id))
