"""account deletion keeps the QPV audit trail

A company deleted with its owner's account leaves its QPV status history behind: ``supplier_id`` becomes
nullable with ON DELETE SET NULL (it was CASCADE), and every row carries a snapshot of the company's SIRET and
name (filled here for the existing rows, by the model's before_insert hook for new ones).

Downgrading deletes the rows of deleted companies (the old schema cannot hold them).

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 18:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

FK_NAME = 'fk_qpv_status_changes_supplier_id_supplier_companies'


def upgrade():
    with op.batch_alter_table('qpv_status_changes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('company_siret', sa.String(length=14), nullable=True))
        batch_op.add_column(sa.Column('company_name', sa.String(length=200), nullable=True))
    changes = sa.table('qpv_status_changes', sa.column('supplier_id', sa.Integer),
                       sa.column('company_siret', sa.String), sa.column('company_name', sa.String))
    companies = sa.table('supplier_companies', sa.column('id', sa.Integer), sa.column('siret', sa.String),
                         sa.column('name', sa.String))
    op.execute(changes.update().values(
        company_siret=sa.select(companies.c.siret).where(companies.c.id == changes.c.supplier_id).scalar_subquery(),
        company_name=sa.select(companies.c.name).where(companies.c.id == changes.c.supplier_id).scalar_subquery(),
    ))
    with op.batch_alter_table('qpv_status_changes', schema=None) as batch_op:
        batch_op.alter_column('company_siret', existing_type=sa.String(length=14), nullable=False)
        batch_op.alter_column('company_name', existing_type=sa.String(length=200), nullable=False)
        batch_op.alter_column('supplier_id', existing_type=sa.Integer(), nullable=True)
        batch_op.drop_constraint(FK_NAME, type_='foreignkey')
        batch_op.create_foreign_key(FK_NAME, 'supplier_companies', ['supplier_id'], ['id'], ondelete='SET NULL')


def downgrade():
    op.execute(sa.text('DELETE FROM qpv_status_changes WHERE supplier_id IS NULL'))
    with op.batch_alter_table('qpv_status_changes', schema=None) as batch_op:
        batch_op.drop_constraint(FK_NAME, type_='foreignkey')
        batch_op.create_foreign_key(FK_NAME, 'supplier_companies', ['supplier_id'], ['id'], ondelete='CASCADE')
        batch_op.alter_column('supplier_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('company_name')
        batch_op.drop_column('company_siret')
