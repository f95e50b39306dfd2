"""certification: certificates (one per earning event), lifecycle marks, signed credential

Revision ID: 0400
Revises: 0100
"""
from alembic import op
import sqlalchemy as sa

import app.core.types

revision = "0400"
down_revision = "0100"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('serial', sa.String(length=24), nullable=False),
    sa.Column('type_code', sa.String(length=40), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('earning_key', sa.String(length=80), nullable=False),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('issued_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('valid_until', app.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('replaces_id', sa.Integer(), nullable=True),
    sa.Column('superseded_at', app.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('suspended_at', app.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('suspended_reason', sa.Text(), nullable=True),
    sa.Column('suspended_by_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', app.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_category', sa.String(length=30), nullable=True),
    sa.Column('revoked_reason', sa.Text(), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.Column('kid', sa.String(length=64), nullable=False),
    sa.Column('credential_jwt', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['issued_by_id'], ['people.id'], name=op.f('fk_certificates_issued_by_id_people')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_certificates_person_id_people')),
    sa.ForeignKeyConstraint(['replaces_id'], ['certificates.id'], name=op.f('fk_certificates_replaces_id_certificates')),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['people.id'], name=op.f('fk_certificates_revoked_by_id_people')),
    sa.ForeignKeyConstraint(['suspended_by_id'], ['people.id'], name=op.f('fk_certificates_suspended_by_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificates')),
    sa.UniqueConstraint('serial', name=op.f('uq_certificates_serial')),
    sa.UniqueConstraint('type_code', 'person_id', 'earning_key', name='uq_certificates_type_person_earning')
    )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.create_index('ix_certificates_person_type', ['person_id', 'type_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificates_replaces_id'), ['replaces_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificates_valid_until'), ['valid_until'], unique=False)



def downgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificates_valid_until'))
        batch_op.drop_index(batch_op.f('ix_certificates_replaces_id'))
        batch_op.drop_index('ix_certificates_person_type')
    op.drop_table('certificates')
