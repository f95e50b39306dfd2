"""Files that belong to a database transaction: written at once (so the row that names the file never
commits without it) and removed again unless the transaction commits — a failed commit, a rollback or a
session closed without committing leaves no stray file behind."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import db

_PENDING = "files_written_in_transaction"


def write_in_transaction(path: Path, data: bytes) -> None:
    """Write `path` now; delete it when the session's current transaction ends without a commit."""
    session = db.session()
    session.info.setdefault(_PENDING, []).append(path)
    path.write_bytes(data)


@event.listens_for(Session, "after_commit")
def _keep(session: Session) -> None:
    if not session.in_nested_transaction():  # a released savepoint is not a commit yet
        session.info.pop(_PENDING, None)


@event.listens_for(Session, "after_transaction_end")
def _remove_uncommitted(session: Session, transaction) -> None:
    if transaction.parent is not None:  # a savepoint or subtransaction: the outer transaction decides
        return
    for path in session.info.pop(_PENDING, []):
        path.unlink(missing_ok=True)
