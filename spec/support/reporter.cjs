// Mocha's spec reporter plus the plain closing line `N passed, N failed` that CI reads.
'use strict';
const Mocha = require('mocha');
const { EVENT_RUN_END, EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING } = Mocha.Runner.constants;

class CountingSpecReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    let passed = 0, failed = 0, skipped = 0;
    runner.on(EVENT_TEST_PASS, () => { passed++; });
    runner.on(EVENT_TEST_FAIL, () => { failed++; });
    runner.on(EVENT_TEST_PENDING, () => { skipped++; });
    runner.once(EVENT_RUN_END, () => {
      // after the spec reporter's own epilogue
      setImmediate(() => {
        process.stdout.write(`\n${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : '') + '\n');
      });
    });
  }
}
module.exports = CountingSpecReporter;
