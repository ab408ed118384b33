"""organisation name key: one organisation whatever the case, accents or spacing of its name

SQLite's lower() folds ASCII only, so "École X" and "école x" could register as two organisations. The
folded name is now stored in a unique column. Existing names that already collide keep their rows: the later
ones get their id appended to the key and are logged, for an administrator to merge.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 07:40:00.000000

"""
import logging

from alembic import op
import sqlalchemy as sa

# A pure function with no app state: the same folding as the registration check.
from marketplace.validators import organisation_key


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")


def upgrade():
    with op.batch_alter_table('buyer_organisations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_key', sa.String(length=200), nullable=True))

    organisations = sa.table('buyer_organisations', sa.column('id', sa.Integer), sa.column('name', sa.String),
                             sa.column('name_key', sa.String))
    connection = op.get_bind()
    seen = {}
    for row_id, name in connection.execute(sa.select(organisations.c.id, organisations.c.name)
                                           .order_by(organisations.c.id)):
        key = organisation_key(name)[:190]
        if key in seen:
            log.warning("organisation %s has the same name as organisation %s: merge them", row_id, seen[key])
            key = f"{key} #{row_id}"
        else:
            seen[key] = row_id
        connection.execute(organisations.update().where(organisations.c.id == row_id).values(name_key=key))

    with op.batch_alter_table('buyer_organisations', schema=None) as batch_op:
        batch_op.alter_column('name_key', existing_type=sa.String(length=200), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_buyer_organisations_name_key'), ['name_key'])


def downgrade():
    with op.batch_alter_table('buyer_organisations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_buyer_organisations_name_key'), type_='unique')
        batch_op.drop_column('name_key')
