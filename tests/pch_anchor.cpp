// The source of cvae_test_pch, the target that makes the tests' shared precompiled header
// (tests/pch.h). Nothing links it.
