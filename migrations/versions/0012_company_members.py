"""several users per company: the members beside the owner

The owner stays ``supplier_companies.owner_id``; ``company_members`` lists the other users who act for the
company. Deleting the company or the user deletes the membership.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 18:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('company_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['supplier_companies.id'], name=op.f('fk_company_members_company_id_supplier_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_company_members_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_company_members')),
    sa.UniqueConstraint('company_id', 'user_id', name='uq_company_members_user')
    )
    with op.batch_alter_table('company_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_company_members_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_company_members_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('company_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_company_members_user_id'))
        batch_op.drop_index(batch_op.f('ix_company_members_company_id'))
    op.drop_table('company_members')
