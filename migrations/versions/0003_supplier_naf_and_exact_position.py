"""supplier NAF code and exact position flag

Existing companies get position_is_exact = false: their coordinates are treated as the commune's reference
point (the conservative reading: a QPV claim then goes to an administrator, never auto-verified).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 05:33:27.310902

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('supplier_companies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('naf_code', sa.String(length=6), nullable=True))
        batch_op.add_column(sa.Column('position_is_exact', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade():
    with op.batch_alter_table('supplier_companies', schema=None) as batch_op:
        batch_op.drop_column('position_is_exact')
        batch_op.drop_column('naf_code')

