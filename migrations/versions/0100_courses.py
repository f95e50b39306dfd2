"""courses: courses, immutable versions and lessons, web drafts, images, progress, time on page, ratings

Revision ID: 0100
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

import app.core.types


# revision identifiers, used by Alembic.
revision = '0100'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('courses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=60), nullable=False),
    sa.Column('origin', sa.Enum('files', 'web', name='courseorigin', native_enum=False, length=10), nullable=False),
    sa.Column('current_version_id', sa.Integer(), nullable=True),
    sa.Column('source_hash', sa.String(length=64), nullable=True),
    sa.Column('edited_on_web', sa.Boolean(), nullable=False),
    sa.Column('retired_at', app.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_courses')),
    sa.UniqueConstraint('slug', name=op.f('uq_courses_slug'))
    )
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_courses_current_version_id'), ['current_version_id'], unique=False)

    op.create_table('course_images',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('content_type', sa.String(length=20), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_course_images_course_id_courses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['people.id'], name=op.f('fk_course_images_uploaded_by_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_images')),
    sa.UniqueConstraint('course_id', 'name', name='uq_course_images_course_name')
    )
    with op.batch_alter_table('course_images', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_images_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_course_images_uploaded_by_id'), ['uploaded_by_id'], unique=False)

    op.create_table('course_states',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('last_lesson_slug', sa.String(length=60), nullable=False),
    sa.Column('started_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('completed_at', app.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_course_states_course_id_courses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_course_states_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_states')),
    sa.UniqueConstraint('person_id', 'course_id', name='uq_course_states_person_course')
    )
    with op.batch_alter_table('course_states', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_states_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_course_states_last_seen_at'), ['last_seen_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_course_states_person_id'), ['person_id'], unique=False)

    op.create_table('course_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.Column('part', sa.String(length=20), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('positions', sa.JSON(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('objectives', sa.JSON(), nullable=False),
    sa.Column('summary_en', sa.Text(), nullable=False),
    sa.Column('intro_md', sa.Text(), nullable=False),
    sa.Column('intro_html', sa.Text(), nullable=False),
    sa.Column('source', sa.Enum('files', 'web', name='courseorigin', native_enum=False, length=10), nullable=False),
    sa.Column('published_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_course_versions_course_id_courses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['published_by_id'], ['people.id'], name=op.f('fk_course_versions_published_by_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_versions')),
    sa.UniqueConstraint('course_id', 'number', name='uq_course_versions_course_number')
    )
    with op.batch_alter_table('course_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_versions_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_course_versions_part'), ['part'], unique=False)
        batch_op.create_index(batch_op.f('ix_course_versions_published_by_id'), ['published_by_id'], unique=False)

    op.create_table('course_drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('based_on_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.Column('part', sa.String(length=20), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('positions', sa.JSON(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('objectives', sa.JSON(), nullable=False),
    sa.Column('summary_en', sa.Text(), nullable=False),
    sa.Column('intro_md', sa.Text(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['based_on_id'], ['course_versions.id'], name=op.f('fk_course_drafts_based_on_id_course_versions')),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_course_drafts_course_id_courses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['people.id'], name=op.f('fk_course_drafts_updated_by_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_drafts')),
    sa.UniqueConstraint('course_id', name=op.f('uq_course_drafts_course_id'))
    )
    with op.batch_alter_table('course_drafts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_drafts_based_on_id'), ['based_on_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_course_drafts_updated_by_id'), ['updated_by_id'], unique=False)

    op.create_table('course_ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('stars', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('created_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_course_ratings_course_id_courses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_course_ratings_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['course_versions.id'], name=op.f('fk_course_ratings_version_id_course_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_ratings')),
    sa.UniqueConstraint('person_id', 'version_id', name='uq_course_ratings_person_version')
    )
    with op.batch_alter_table('course_ratings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_ratings_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_course_ratings_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_course_ratings_version_id'), ['version_id'], unique=False)

    op.create_table('lesson_completions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('lesson_slug', sa.String(length=60), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('automatic', sa.Boolean(), nullable=False),
    sa.Column('completed_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_lesson_completions_course_id_courses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_lesson_completions_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['course_versions.id'], name=op.f('fk_lesson_completions_version_id_course_versions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lesson_completions')),
    sa.UniqueConstraint('person_id', 'course_id', 'lesson_slug', name='uq_lesson_completions_person_course_lesson')
    )
    with op.batch_alter_table('lesson_completions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lesson_completions_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lesson_completions_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lesson_completions_version_id'), ['version_id'], unique=False)

    op.create_table('lessons',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=60), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('body_md', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('toc', sa.JSON(), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['course_versions.id'], name=op.f('fk_lessons_version_id_course_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lessons')),
    sa.UniqueConstraint('version_id', 'slug', name='uq_lessons_version_slug')
    )
    with op.batch_alter_table('lessons', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lessons_content_hash'), ['content_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_lessons_version_id'), ['version_id'], unique=False)

    op.create_table('draft_lessons',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('draft_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=60), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('body_md', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['draft_id'], ['course_drafts.id'], name=op.f('fk_draft_lessons_draft_id_course_drafts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draft_lessons')),
    sa.UniqueConstraint('draft_id', 'slug', name='uq_draft_lessons_draft_slug')
    )
    with op.batch_alter_table('draft_lessons', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_draft_lessons_draft_id'), ['draft_id'], unique=False)

    op.create_table('lesson_visits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=40), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('lesson_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('started_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_beat_at', app.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('seconds', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_lesson_visits_course_id_courses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['lesson_id'], ['lessons.id'], name=op.f('fk_lesson_visits_lesson_id_lessons'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_lesson_visits_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lesson_visits')),
    sa.UniqueConstraint('token', name=op.f('uq_lesson_visits_token'))
    )
    with op.batch_alter_table('lesson_visits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lesson_visits_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lesson_visits_lesson_id'), ['lesson_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lesson_visits_person_id'), ['person_id'], unique=False)

    # courses ↔ course_versions reference each other: the course's pointer is added once both exist.
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.create_foreign_key('fk_courses_current_version', 'course_versions', ['current_version_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.drop_constraint('fk_courses_current_version', type_='foreignkey')
    for table in ('lesson_visits', 'draft_lessons', 'lessons', 'lesson_completions', 'course_ratings',
                  'course_drafts', 'course_states', 'course_images', 'course_versions', 'courses'):
        op.drop_table(table)
