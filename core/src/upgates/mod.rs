//! Upgates API v2.
