"""shortlist curation: per-organisation status and note per supplier and tender

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-30 21:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('supplier_curations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('buyer_organisation_id', sa.Integer(), nullable=False),
    sa.Column('tender_id', sa.Integer(), nullable=False),
    sa.Column('lot_id', sa.Integer(), nullable=True),
    sa.Column('lot_key', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('to_contact', 'contacted', 'invited', 'answered', 'kept', 'dismissed', name='curationstatus', native_enum=False, length=32), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['buyer_organisation_id'], ['buyer_organisations.id'], name=op.f('fk_supplier_curations_buyer_organisation_id_buyer_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['company_id'], ['supplier_companies.id'], name=op.f('fk_supplier_curations_company_id_supplier_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['lot_id'], ['lots.id'], name=op.f('fk_supplier_curations_lot_id_lots'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tender_id'], ['tenders.id'], name=op.f('fk_supplier_curations_tender_id_tenders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_supplier_curations_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supplier_curations')),
    sa.UniqueConstraint('buyer_organisation_id', 'tender_id', 'lot_key', 'company_id', name='uq_supplier_curations_scope')
    )
    with op.batch_alter_table('supplier_curations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supplier_curations_buyer_organisation_id'), ['buyer_organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supplier_curations_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supplier_curations_lot_id'), ['lot_id'], unique=False)
        batch_op.create_index('ix_supplier_curations_tender_company', ['tender_id', 'company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supplier_curations_updated_by_id'), ['updated_by_id'], unique=False)


def downgrade():
    with op.batch_alter_table('supplier_curations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supplier_curations_updated_by_id'))
        batch_op.drop_index('ix_supplier_curations_tender_company')
        batch_op.drop_index(batch_op.f('ix_supplier_curations_lot_id'))
        batch_op.drop_index(batch_op.f('ix_supplier_curations_company_id'))
        batch_op.drop_index(batch_op.f('ix_supplier_curations_buyer_organisation_id'))

    op.drop_table('supplier_curations')
