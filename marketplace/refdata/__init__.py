"""Reference data: CPV, NAF, QPV, communes and postcodes (tables, loaders, lookups, built-in fallback)."""
