"""The hand-written French catalogue of the demo data: trades, phrases, places, buyers and tenders."""

from . import building, food_textile, intellectual, logistics, services
from .types import OfferSpec, Trade

TRADES: tuple[Trade, ...] = (
    *services.TRADES, *building.TRADES, *food_textile.TRADES, *logistics.TRADES, *intellectual.TRADES,
)
TRADES_BY_KEY: dict[str, Trade] = {trade.key: trade for trade in TRADES}

__all__ = ["TRADES", "TRADES_BY_KEY", "OfferSpec", "Trade"]
