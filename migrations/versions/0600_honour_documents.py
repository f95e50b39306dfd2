"""honours: honour certificates (serial, signed claims) verified like certificates

Revision ID: 0600
Revises: 0651
"""
from alembic import op
import sqlalchemy as sa

import app.core.types

revision = "0600"
down_revision = "0651"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('honour_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nomination_id', sa.Integer(), nullable=False),
    sa.Column('serial', sa.String(length=24), nullable=False),
    sa.Column('issued_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('kid', sa.String(length=64), nullable=False),
    sa.Column('claims_jwt', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['nomination_id'], ['nominations.id'], name=op.f('fk_honour_documents_nomination_id_nominations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_honour_documents')),
    sa.UniqueConstraint('nomination_id', name=op.f('uq_honour_documents_nomination_id')),
    sa.UniqueConstraint('serial', name=op.f('uq_honour_documents_serial'))
    )


def downgrade():
    op.drop_table('honour_documents')
