"""scorecard: score lines per rule kind (set-based recompute) and a covering index for rankings

Revision ID: 0651
Revises: 0650
"""
import sqlalchemy as sa
from alembic import op

revision = "0651"
down_revision = "0650"
branch_labels = None
depends_on = None

RULE_KINDS = ("phone_contact", "visit", "event", "event_creativity", "missed_learning", "exam_below", "misconduct",
              "service_check", "satisfaction", "complaint")


def upgrade():
    op.create_table(
        "monthly_score_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("kind", sa.Enum(*RULE_KINDS, name="rulekind", native_enum=False, length=30), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("points", sa.Numeric(precision=10, scale=2), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], name=op.f("fk_monthly_score_lines_person_id_people"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monthly_score_lines")),
        sa.UniqueConstraint("person_id", "month", "kind", name="uq_monthly_score_lines_person_month_kind"),
    )
    with op.batch_alter_table("monthly_score_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_monthly_score_lines_month"), ["month"], unique=False)
    # scores are recomputed from the work log; the old JSON breakdowns are not carried over
    op.execute("DELETE FROM monthly_scores")
    with op.batch_alter_table("monthly_scores", schema=None) as batch_op:
        batch_op.drop_index("ix_monthly_scores_month_total")
        batch_op.drop_column("breakdown")
        batch_op.create_index("ix_monthly_scores_month_person", ["month", "person_id", "total", "negatives"], unique=False)


def downgrade():
    with op.batch_alter_table("monthly_scores", schema=None) as batch_op:
        batch_op.drop_index("ix_monthly_scores_month_person")
        batch_op.add_column(sa.Column("breakdown", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.create_index("ix_monthly_scores_month_total", ["month", "total"], unique=False)
    with op.batch_alter_table("monthly_score_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_monthly_score_lines_month"))
    op.drop_table("monthly_score_lines")
