"""plans: history entries keep their facts as data, so notes are written in the reader's language

Revision ID: 0660
Revises: 0600
"""
import sqlalchemy as sa
from alembic import op

revision = "0660"
down_revision = "0600"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("plan_history", schema=None) as batch_op:
        batch_op.add_column(sa.Column("data", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("plan_history", schema=None) as batch_op:
        batch_op.drop_column("data")
