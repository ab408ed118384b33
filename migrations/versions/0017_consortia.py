"""grouped bids: consortia (groupements) of companies answering a tender together

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30 18:35:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('consortia',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tender_id', sa.Integer(), nullable=False),
    sa.Column('lead_company_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('forming', 'submitted', 'won', 'lost', 'withdrawn', name='consortiumstatus', native_enum=False, length=32), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('settled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_consortia_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['lead_company_id'], ['supplier_companies.id'], name=op.f('fk_consortia_lead_company_id_supplier_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tender_id'], ['tenders.id'], name=op.f('fk_consortia_tender_id_tenders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consortia'))
    )
    with op.batch_alter_table('consortia', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consortia_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consortia_lead_company_id'), ['lead_company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consortia_tender_id'), ['tender_id'], unique=False)

    op.create_table('consortium_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consortium_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('mandataire', 'co_traitant', name='memberrole', native_enum=False, length=32), nullable=False),
    sa.Column('status', sa.Enum('invited', 'accepted', 'declined', 'left', name='memberstatus', native_enum=False, length=32), nullable=False),
    sa.Column('lot_ids', sa.JSON(), nullable=False),
    sa.Column('invited_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['company_id'], ['supplier_companies.id'], name=op.f('fk_consortium_members_company_id_supplier_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['consortium_id'], ['consortia.id'], name=op.f('fk_consortium_members_consortium_id_consortia'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consortium_members')),
    sa.UniqueConstraint('consortium_id', 'company_id', name='uq_consortium_members_company')
    )
    with op.batch_alter_table('consortium_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consortium_members_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consortium_members_consortium_id'), ['consortium_id'], unique=False)

    # Conversation threads: the party is a company or a consortium, exactly one of them.
    with op.batch_alter_table('conversation_threads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consortium_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_conversation_threads_consortium_id_consortia'), 'consortia', ['consortium_id'], ['id'], ondelete='CASCADE')
        batch_op.create_index(batch_op.f('ix_conversation_threads_consortium_id'), ['consortium_id'], unique=False)
        batch_op.create_unique_constraint('uq_conversation_threads_consortium', ['tender_id', 'buyer_organisation_id', 'consortium_id'])
        batch_op.drop_constraint(batch_op.f('ck_conversation_threads_one_party'), type_='check')
        batch_op.create_check_constraint('one_party', '(supplier_company_id IS NULL) <> (consortium_id IS NULL)')


def downgrade():
    op.execute('DELETE FROM conversation_threads WHERE consortium_id IS NOT NULL')
    with op.batch_alter_table('conversation_threads', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_conversation_threads_one_party'), type_='check')
        batch_op.create_check_constraint('one_party', 'supplier_company_id IS NOT NULL')
        batch_op.drop_constraint('uq_conversation_threads_consortium', type_='unique')
        batch_op.drop_index(batch_op.f('ix_conversation_threads_consortium_id'))
        batch_op.drop_constraint(batch_op.f('fk_conversation_threads_consortium_id_consortia'), type_='foreignkey')
        batch_op.drop_column('consortium_id')

    with op.batch_alter_table('consortium_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consortium_members_consortium_id'))
        batch_op.drop_index(batch_op.f('ix_consortium_members_company_id'))
    op.drop_table('consortium_members')

    with op.batch_alter_table('consortia', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consortia_tender_id'))
        batch_op.drop_index(batch_op.f('ix_consortia_lead_company_id'))
        batch_op.drop_index(batch_op.f('ix_consortia_created_by_id'))
    op.drop_table('consortia')
