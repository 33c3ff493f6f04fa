import pytest

from streaming import crypto


def test_round_trip_and_the_token_does_not_contain_the_key(settings):
    token = crypto.encrypt("live_1234_abcdef")
    assert "live_1234_abcdef" not in token and "abcdef" not in token
    assert crypto.decrypt(token) == "live_1234_abcdef"


def test_each_encryption_is_different():
    assert crypto.encrypt("samekey1") != crypto.encrypt("samekey1")


def test_field_key_wins_over_secret_key(settings):
    settings.FIELD_ENCRYPTION_KEY = "a-separate-field-key"
    token = crypto.encrypt("mykey123")
    assert crypto.decrypt(token, secret="a-separate-field-key") == "mykey123"
    with pytest.raises(crypto.KeyUnreadable):
        crypto.decrypt(token, secret=settings.SECRET_KEY)


def test_a_changed_secret_gives_a_clear_error(settings):
    token = crypto.encrypt("mykey123")
    settings.SECRET_KEY = "another-secret-key-entirely"
    with pytest.raises(crypto.KeyUnreadable, match="enter it again"):
        crypto.decrypt(token)


def test_garbage_is_unreadable_not_a_crash():
    with pytest.raises(crypto.KeyUnreadable):
        crypto.decrypt("not a token")
