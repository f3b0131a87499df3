/* suites.h: every unit-test suite, in run order. X(name) -> suite_name().
 * Add a line when you add tests/unit/test_NAME.c. */
X(money)
X(tm)
X(number)
X(rate)
X(ledger)
X(csvin)
X(cdrfmt)
X(store)
X(gen)
X(cdrq)
X(recon)
X(out)
