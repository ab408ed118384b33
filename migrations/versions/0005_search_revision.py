"""search revision: a transactional change counter for the search engines of the web workers

Replaces the clock-based freshness check (latest updated_at), which missed a change committed late with an
older timestamp. Existing companies start at revision 0; the counter row starts at 0.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 08:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    state = op.create_table('search_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_state'))
    )
    op.bulk_insert(state, [{'id': 1, 'revision': 0}])
    with op.batch_alter_table('supplier_companies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_revision', sa.BigInteger(), server_default='0', nullable=False))
        batch_op.create_index(batch_op.f('ix_supplier_companies_search_revision'), ['search_revision'], unique=False)


def downgrade():
    with op.batch_alter_table('supplier_companies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supplier_companies_search_revision'))
        batch_op.drop_column('search_revision')
    op.drop_table('search_state')
