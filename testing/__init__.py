"""Test kit for channel and storage authors: fakes and the contract suites every implementation passes."""
