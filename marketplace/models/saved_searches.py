"""A buyer's saved supplier search and the companies it has already reported.

``criteria`` holds the search form's values (query and filters) as JSON; they are re-parsed by
``buyers.search_forms`` each time, so an old saved search never bypasses validation. One
``SavedSearchHit`` row per (search, company) is the memory of the alerts: the results at save time are
recorded without a notification (they are not new), later matches get one notification each, once.
"""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import TimestampMixin, UTCDateTime, utcnow

SAVED_SEARCH_NAME_MAX = 120


class SavedSearch(TimestampMixin, db.Model):
    __tablename__ = "saved_searches"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    name: Mapped[str] = mapped_column(sa.String(SAVED_SEARCH_NAME_MAX), nullable=False)
    criteria: Mapped[dict] = mapped_column(sa.JSON, nullable=False, default=dict)

    user = relationship("User")


class SavedSearchHit(db.Model):
    """A company already seen by a saved search (``notified``: an alert was sent for it)."""

    __tablename__ = "saved_search_hits"
    __table_args__ = (sa.UniqueConstraint("saved_search_id", "company_id", name="uq_saved_search_hits_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    saved_search_id: Mapped[int] = mapped_column(
        sa.ForeignKey("saved_searches.id", ondelete="CASCADE"), nullable=False, index=True)
    company_id: Mapped[int] = mapped_column(
        sa.ForeignKey("supplier_companies.id", ondelete="CASCADE"), nullable=False, index=True)
    notified: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    created_at: Mapped[sa.DateTime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
