# Sourced by the test scripts. strict: is a missing tool or service a failure rather than a skip?
# The same rule as the Go helper backend/internal/testenv: CI set (but not to false or 0), or
# TESSERA_TEST_STRICT=1.
strict() {
  [[ ${TESSERA_TEST_STRICT:-} == 1 ]] && return 0
  [[ -n ${CI:-} && ${CI} != false && ${CI} != 0 ]]
}
