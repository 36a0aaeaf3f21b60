"""Test doubles shared by tests/ and bench/: the fake gov.kz (`python -m
aqparat.testing.fake_govkz`) and the world of news items it serves."""
