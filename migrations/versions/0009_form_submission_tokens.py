"""one form, one object: one-time submission tokens for tenders and offers

A creation form carries a token generated when the page is shown; it is stored with the tender or offer it
created, under a UNIQUE constraint, so that a second post of the same page (double click, reload, retry)
creates nothing. Existing rows have no token (NULL).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 14:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('tenders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submission_token', sa.String(length=36), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_tenders_submission_token'), ['submission_token'])
    with op.batch_alter_table('offers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submission_token', sa.String(length=36), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_offers_submission_token'), ['submission_token'])


def downgrade():
    with op.batch_alter_table('offers', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_offers_submission_token'), type_='unique')
        batch_op.drop_column('submission_token')
    with op.batch_alter_table('tenders', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_tenders_submission_token'), type_='unique')
        batch_op.drop_column('submission_token')
