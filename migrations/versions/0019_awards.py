"""awards: tender and lot awards to companies or consortia

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-30 21:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('awards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tender_id', sa.Integer(), nullable=False),
    sa.Column('lot_id', sa.Integer(), nullable=True),
    sa.Column('lot_key', sa.Integer(), nullable=False),
    sa.Column('supplier_company_id', sa.Integer(), nullable=True),
    sa.Column('consortium_id', sa.Integer(), nullable=True),
    sa.Column('winner_name', sa.String(length=250), nullable=False),
    sa.Column('amount_cents', sa.BigInteger(), nullable=False),
    sa.Column('awarded_on', sa.Date(), nullable=False),
    sa.Column('qpv_status_at_award', sa.Enum('unknown', 'declared', 'verified', 'rejected', 'not_in_qpv', name='qpvstatus_award', native_enum=False, length=32), nullable=True),
    sa.Column('without_interest', sa.Boolean(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount_cents >= 0', name=op.f('ck_awards_amount_positive')),
    sa.CheckConstraint('supplier_company_id IS NULL OR consortium_id IS NULL', name=op.f('ck_awards_one_winner')),
    sa.CheckConstraint('lot_key = COALESCE(lot_id, 0)', name=op.f('ck_awards_lot_key_matches')),
    sa.ForeignKeyConstraint(['consortium_id'], ['consortia.id'], name=op.f('fk_awards_consortium_id_consortia'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['lot_id'], ['lots.id'], name=op.f('fk_awards_lot_id_lots'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_awards_recorded_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['supplier_company_id'], ['supplier_companies.id'], name=op.f('fk_awards_supplier_company_id_supplier_companies'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['tender_id'], ['tenders.id'], name=op.f('fk_awards_tender_id_tenders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_awards')),
    sa.UniqueConstraint('tender_id', 'lot_key', name='uq_awards_tender_lot_key')
    )
    with op.batch_alter_table('awards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_awards_awarded_on'), ['awarded_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_awards_consortium_id'), ['consortium_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_awards_lot_id'), ['lot_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_awards_recorded_by_id'), ['recorded_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_awards_supplier_company_id'), ['supplier_company_id'], unique=False)

    op.create_table('award_shares',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('award_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=True),
    sa.Column('company_name', sa.String(length=200), nullable=False),
    sa.Column('company_siret', sa.String(length=14), nullable=False),
    sa.Column('department', sa.String(length=3), nullable=True),
    sa.Column('amount_cents', sa.BigInteger(), nullable=False),
    sa.Column('qpv_status_at_award', sa.Enum('unknown', 'declared', 'verified', 'rejected', 'not_in_qpv', name='qpvstatus_share', native_enum=False, length=32), nullable=False),
    sa.Column('lot_ids', sa.JSON(), nullable=False),
    sa.CheckConstraint('amount_cents >= 0', name=op.f('ck_award_shares_amount_positive')),
    sa.ForeignKeyConstraint(['award_id'], ['awards.id'], name=op.f('fk_award_shares_award_id_awards'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['company_id'], ['supplier_companies.id'], name=op.f('fk_award_shares_company_id_supplier_companies'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_shares'))
    )
    with op.batch_alter_table('award_shares', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_award_shares_award_id'), ['award_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_award_shares_company_id'), ['company_id'], unique=False)


def downgrade():
    with op.batch_alter_table('award_shares', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_award_shares_company_id'))
        batch_op.drop_index(batch_op.f('ix_award_shares_award_id'))

    op.drop_table('award_shares')
    with op.batch_alter_table('awards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_awards_supplier_company_id'))
        batch_op.drop_index(batch_op.f('ix_awards_recorded_by_id'))
        batch_op.drop_index(batch_op.f('ix_awards_lot_id'))
        batch_op.drop_index(batch_op.f('ix_awards_consortium_id'))
        batch_op.drop_index(batch_op.f('ix_awards_awarded_on'))

    op.drop_table('awards')
