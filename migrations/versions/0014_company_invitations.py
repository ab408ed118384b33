"""company invitations by e-mail

The owner of a supplier company invites an address; the link's token is stored as a SHA-256 hash. Inviting
the same address again renews the open row (new token, new expiry). Deleting the company deletes its
invitations; deleting the inviting user keeps them (invited_by_id set to NULL).

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 18:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('company_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['supplier_companies.id'], name=op.f('fk_company_invitations_company_id_supplier_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_company_invitations_invited_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_company_invitations')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_company_invitations_token_hash'))
    )
    with op.batch_alter_table('company_invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_company_invitations_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_company_invitations_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_company_invitations_invited_by_id'), ['invited_by_id'], unique=False)


def downgrade():
    with op.batch_alter_table('company_invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_company_invitations_invited_by_id'))
        batch_op.drop_index(batch_op.f('ix_company_invitations_email'))
        batch_op.drop_index(batch_op.f('ix_company_invitations_company_id'))
    op.drop_table('company_invitations')
