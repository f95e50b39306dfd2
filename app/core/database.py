"""Database connection settings."""
import threading

from flask import Flask
from sqlalchemy import event

from app.extensions import db

#: seconds a writer waits for SQLite's write lock (busy_timeout) and for this process's turn
WRITE_WAIT_SECONDS = 10
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def init_app(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        turns = WriterTurns()
        event.listen(engine, "before_cursor_execute", turns.before_execute)
        event.listen(engine, "commit", turns.end)
        event.listen(engine, "rollback", turns.end)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """WAL lets readers run beside the one writer; synchronous=FULL fsyncs the WAL at every commit,
    so an acknowledged save survives a crash of the machine, not only of the process (NORMAL would
    not). busy_timeout makes a writer wait for the lock instead of failing at once."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={WRITE_WAIT_SECONDS * 1000}")
    cursor.close()


class WriterTurns:
    """SQLite has one writer at a time, and a waiting writer polls for the lock with growing sleeps:
    with dozens of threads waiting, an unlucky one can lose every time and time out (seen in the exam
    load bench). So the threads of one process take turns at a lock that wakes the next waiter at
    once, and only one writer per process polls SQLite. Taken at a connection's first write, given
    back when its transaction ends; if the turn does not come within the busy timeout the write goes
    ahead and SQLite decides, as before."""

    def __init__(self):
        self._lock = threading.RLock()

    def before_execute(self, conn, _cursor, statement, _params, _context, _many) -> None:
        if conn.info.get("writer_turn") or not statement.lstrip()[:7].upper().startswith(_WRITES):
            return
        conn.info["writer_turn"] = self._lock.acquire(timeout=WRITE_WAIT_SECONDS)

    def end(self, conn) -> None:
        if conn.info.pop("writer_turn", False):
            self._lock.release()


def add_or_existing(new, find):
    """Add `new` (a row with a unique key) and flush it, or, when a simultaneous request stored the same
    key first, return `find()`, the row it stored. The insert runs in a savepoint, so the losing
    request's transaction goes on instead of failing at commit."""
    from sqlalchemy.exc import IntegrityError

    try:
        with db.session.begin_nested():
            db.session.add(new)
        return new
    except IntegrityError:
        found = find()
        if found is None:
            raise
        return found
