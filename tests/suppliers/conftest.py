from tests.refdata.helpers import app, postgres_template, shared_data_dir, sqlite_template  # noqa: F401  (fixtures)
