"""one fold: organisation name keys recomputed with the single folding function

The web app had its own fold() next to the engine's; only the engine's folds ligatures and typographic
apostrophes ("Cœur" -> "coeur", "L’Œuvre" -> "l'oeuvre"), and it is now the only one. Stored keys are
recomputed with it. Names that collide only now keep their rows, as in 0004: the later ones get their id
appended to the key and are logged, for an administrator to merge. Downgrade restores the previous folding.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 14:30:00.000000

"""
import logging
import unicodedata

from alembic import op
import sqlalchemy as sa

# A pure function with no app state: the same folding as the registration check.
from marketplace.validators import organisation_key


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

KEY_LENGTH = 200  # buyer_organisations.name_key is String(200); organisation_key cuts there too

organisations = sa.table('buyer_organisations', sa.column('id', sa.Integer), sa.column('name', sa.String),
                         sa.column('name_key', sa.String))


def _previous_key(name):
    """The key as 0004 stored it: accents and case folded, ligatures and apostrophes left alone."""
    text = unicodedata.normalize("NFKD", name or "")
    return " ".join("".join(ch for ch in text if not unicodedata.combining(ch)).casefold().split())[:KEY_LENGTH]


def _rekey(key_of):
    connection = op.get_bind()
    rows = connection.execute(sa.select(organisations.c.id, organisations.c.name, organisations.c.name_key)
                              .order_by(organisations.c.id)).all()
    seen, wanted = {}, {}
    for row_id, name, _ in rows:
        # The key as registration computes it (cut at KEY_LENGTH), or its sign-up duplicate check misses it.
        base = key = key_of(name)[:KEY_LENGTH]
        if key in seen:
            log.warning("organisation %s has the same name as organisation %s: merge them", row_id, seen[key])
            suffix = ""
            while key in seen:  # the suffixed key could be another organisation's name
                suffix += f" #{row_id}"
                key = base[:KEY_LENGTH - len(suffix)] + suffix  # room for the suffix within the column
        seen[key] = row_id
        wanted[row_id] = key
    changed = [(row_id, wanted[row_id]) for row_id, _, old in rows if old != wanted[row_id]]
    # Two passes so that the unique constraint never sees two rows with one key in between: a key never
    # holds upper-case letters, so these placeholders cannot clash with any stored key.
    for row_id, _ in changed:
        connection.execute(organisations.update().where(organisations.c.id == row_id)
                           .values(name_key=f"REFOLD #{row_id}"))
    for row_id, key in changed:
        connection.execute(organisations.update().where(organisations.c.id == row_id).values(name_key=key))


def upgrade():
    _rekey(organisation_key)


def downgrade():
    _rekey(_previous_key)
