"""entrepreneurs' interest in tenders: "Je suis intéressé" on a tender or on chosen lots

One row per (tender, company); withdrawing stamps withdrawn_at, expressing interest again clears it.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 15:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('tender_interests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tender_id', sa.Integer(), nullable=False),
    sa.Column('supplier_company_id', sa.Integer(), nullable=False),
    sa.Column('lot_ids', sa.JSON(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['supplier_company_id'], ['supplier_companies.id'], name=op.f('fk_tender_interests_supplier_company_id_supplier_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tender_id'], ['tenders.id'], name=op.f('fk_tender_interests_tender_id_tenders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tender_interests')),
    sa.UniqueConstraint('tender_id', 'supplier_company_id', name='uq_tender_interests_company')
    )
    with op.batch_alter_table('tender_interests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tender_interests_supplier_company_id'), ['supplier_company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tender_interests_tender_id'), ['tender_id'], unique=False)


def downgrade():
    with op.batch_alter_table('tender_interests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tender_interests_tender_id'))
        batch_op.drop_index(batch_op.f('ix_tender_interests_supplier_company_id'))
    op.drop_table('tender_interests')
