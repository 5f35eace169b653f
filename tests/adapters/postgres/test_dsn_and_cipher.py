"""DSN masking and the credentials cipher: secrets never shown, never readable without the key."""

from __future__ import annotations

import pytest

from portside.adapters.postgres import CipherError, FernetCipher, mask_dsn, with_database


@pytest.mark.parametrize(
    ("dsn", "masked"),
    [
        ("postgresql://app:s3cret@db.example.com:5432/portside", "postgresql://app:***@db.example.com:5432/portside"),
        ("postgres://app:p@ss:w0rd@db/portside?sslmode=require", "postgres://app:***@db/portside?sslmode=require"),
        (
            "postgresql://app@db/portside?password=s3cret&sslmode=verify-full",
            "postgresql://app@db/portside?password=***&sslmode=verify-full",
        ),
        ("postgresql://postgres:@/postgres?host=/tmp/pg", "postgresql://postgres:@/postgres?host=/tmp/pg"),
        ("host=db user=app password=s3cret dbname=portside", "host=db user=app password=*** dbname=portside"),
        ("host=db password='it\\'s secret' dbname=x", "host=db password=*** dbname=x"),
    ],
)
def test_mask_dsn_hides_the_password(dsn: str, masked: str) -> None:
    assert mask_dsn(dsn) == masked
    assert "s3cret" not in mask_dsn(dsn)


def test_with_database_keeps_server_and_credentials() -> None:
    assert (
        with_database("postgresql://postgres:@/postgres?host=/tmp/pg", "t_1")
        == "postgresql://postgres:@/t_1?host=/tmp/pg"
    )
    assert with_database("postgresql://a:b@h:5/x", "y") == "postgresql://a:b@h:5/y"


def test_fernet_round_trip_and_key_rotation() -> None:
    old, new = FernetCipher.generate_key(), FernetCipher.generate_key()
    sealed_with_old = FernetCipher(old).encrypt(b"secret")
    rotated = FernetCipher(new, old)
    assert rotated.decrypt(sealed_with_old) == b"secret"
    assert FernetCipher(new).decrypt(rotated.encrypt(b"secret")) == b"secret"
    assert b"secret" not in rotated.encrypt(b"secret")


def test_fernet_refuses_foreign_or_damaged_secrets() -> None:
    cipher = FernetCipher(FernetCipher.generate_key())
    with pytest.raises(CipherError, match="cannot be decrypted"):
        cipher.decrypt(FernetCipher(FernetCipher.generate_key()).encrypt(b"x"))
    with pytest.raises(CipherError):
        cipher.decrypt(b"garbage")


def test_fernet_key_errors_are_clear_and_keys_never_shown() -> None:
    with pytest.raises(ValueError, match="invalid Fernet key"):
        FernetCipher("too-short")
    with pytest.raises(ValueError, match="at least one key"):
        FernetCipher()
    key = FernetCipher.generate_key()
    assert key not in repr(FernetCipher(key))
