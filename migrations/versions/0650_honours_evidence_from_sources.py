"""honours: evidence reads plan completions from the plans domain; drop the event copy

Revision ID: 0650
Revises: 0501
"""
import sqlalchemy as sa
from alembic import op

import app.core.types

revision = "0650"
down_revision = "0501"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("honours_plan_completions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_honours_plan_completions_person_id"))
        batch_op.drop_index(batch_op.f("ix_honours_plan_completions_completed_at"))
    op.drop_table("honours_plan_completions")


def downgrade():
    op.create_table(
        "honours_plan_completions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("plan_slug", sa.String(length=80), nullable=False),
        sa.Column("completed_at", app.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("on_time", sa.Boolean(), nullable=True),
        sa.Column("days", sa.Integer(), nullable=True),
        sa.Column("enrolment_ref", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], name=op.f("fk_honours_plan_completions_person_id_people"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_honours_plan_completions")),
        sa.UniqueConstraint("enrolment_ref", name=op.f("uq_honours_plan_completions_enrolment_ref")),
    )
    with op.batch_alter_table("honours_plan_completions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_honours_plan_completions_completed_at"), ["completed_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_honours_plan_completions_person_id"), ["person_id"], unique=False)
