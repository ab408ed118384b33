"""conversations: one thread per tender between a buyer organisation and a company; company contact fields

Threads (one per tender, buyer organisation and party: a company today, a consortium later, see
marketplace/models/conversations.py), their messages and each user's read mark; on supplier_companies the
contact e-mail and phone and whether buyers may see them (off by default).

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 18:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('conversation_threads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tender_id', sa.Integer(), nullable=False),
    sa.Column('buyer_organisation_id', sa.Integer(), nullable=False),
    sa.Column('supplier_company_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_message_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('supplier_company_id IS NOT NULL', name=op.f('ck_conversation_threads_one_party')),
    sa.ForeignKeyConstraint(['buyer_organisation_id'], ['buyer_organisations.id'], name=op.f('fk_conversation_threads_buyer_organisation_id_buyer_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['supplier_company_id'], ['supplier_companies.id'], name=op.f('fk_conversation_threads_supplier_company_id_supplier_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tender_id'], ['tenders.id'], name=op.f('fk_conversation_threads_tender_id_tenders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversation_threads')),
    sa.UniqueConstraint('tender_id', 'buyer_organisation_id', 'supplier_company_id', name='uq_conversation_threads_company')
    )
    with op.batch_alter_table('conversation_threads', schema=None) as batch_op:
        batch_op.create_index('ix_conversation_threads_org_last', ['buyer_organisation_id', 'last_message_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_conversation_threads_supplier_company_id'), ['supplier_company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_conversation_threads_tender_id'), ['tender_id'], unique=False)

    op.create_table('conversation_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('side', sa.Enum('buyer', 'supplier', name='side', native_enum=False, length=32), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_conversation_messages_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['thread_id'], ['conversation_threads.id'], name=op.f('fk_conversation_messages_thread_id_conversation_threads'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversation_messages'))
    )
    with op.batch_alter_table('conversation_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conversation_messages_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_conversation_messages_thread_side', ['thread_id', 'side', 'id'], unique=False)

    op.create_table('conversation_read_marks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('last_read_message_id', sa.Integer(), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['thread_id'], ['conversation_threads.id'], name=op.f('fk_conversation_read_marks_thread_id_conversation_threads'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_conversation_read_marks_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversation_read_marks')),
    sa.UniqueConstraint('thread_id', 'user_id', name='uq_conversation_read_marks_user')
    )
    with op.batch_alter_table('conversation_read_marks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conversation_read_marks_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('supplier_companies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('contact_phone', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('contact_shown', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('supplier_companies', schema=None) as batch_op:
        batch_op.drop_column('contact_shown')
        batch_op.drop_column('contact_phone')
        batch_op.drop_column('contact_email')

    with op.batch_alter_table('conversation_read_marks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conversation_read_marks_user_id'))
    op.drop_table('conversation_read_marks')

    with op.batch_alter_table('conversation_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_conversation_messages_thread_side')
        batch_op.drop_index(batch_op.f('ix_conversation_messages_author_id'))
    op.drop_table('conversation_messages')

    with op.batch_alter_table('conversation_threads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conversation_threads_tender_id'))
        batch_op.drop_index(batch_op.f('ix_conversation_threads_supplier_company_id'))
        batch_op.drop_index('ix_conversation_threads_org_last')
    op.drop_table('conversation_threads')
