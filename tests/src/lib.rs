//! Cross-crate integration tests for the Tencent Cloud SDK live under `tests/tests/`.
