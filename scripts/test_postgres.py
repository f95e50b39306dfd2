"""Print the URL of a PostgreSQL test database, creating the database if needed; print nothing
when no server is reachable. TEST_DATABASE_URL wins when set."""
import os
import sys

import psycopg

url = os.environ.get("TEST_DATABASE_URL")
if url:
    print(url)
    sys.exit(0)
admin = os.environ.get("TEST_POSTGRES_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")
name = "leadgoose_test"
try:
    with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
except psycopg.OperationalError:
    sys.exit(0)
print(admin.rsplit("/", 1)[0] + "/" + name)
