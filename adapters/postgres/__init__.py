"""Postgres storage: asyncpg pool, SQL migrations, repositories and unit of work, and the embedded server."""

from .cipher import Cipher, CipherError, FernetCipher
from .dsn import mask_dsn, with_database
from .embedded import EmbeddedPostgres, EmbeddedPostgresError
from .migrate import Migration, MigrationError, MigrationStatus, load_migrations, migrate, migrations_status
from .pool import create_pool, init_connection
from .uow import PostgresUnitOfWork, PostgresUnitOfWorkFactory

__all__ = [
    "Cipher",
    "CipherError",
    "EmbeddedPostgres",
    "EmbeddedPostgresError",
    "FernetCipher",
    "Migration",
    "MigrationError",
    "MigrationStatus",
    "PostgresUnitOfWork",
    "PostgresUnitOfWorkFactory",
    "create_pool",
    "init_connection",
    "load_migrations",
    "mask_dsn",
    "migrate",
    "migrations_status",
    "with_database",
]
