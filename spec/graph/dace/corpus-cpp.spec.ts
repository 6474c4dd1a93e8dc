// Every corpus file that runs on the reference interpreter also runs through the cpp target to NumPy's results.
import assert from 'node:assert/strict';
import path from 'node:path';
import { fromDaceFile } from '../../../dace-interop.js';
import { SdfgError } from '../../../graph/errors.js';
import { compile } from '../../../targets/compile.js';
import { caseArguments, corpusDir, corpusFiles, firstMismatch, readCase, requireCorpus } from './corpus-cases.js';

describe('graph/dace: the DaCe corpus on the cpp target', function () {
  // A cold compile of the largest file (vadv) takes seconds; later runs hit the build cache.
  this.timeout(60_000);
  before(requireCorpus);
  for (const entry of corpusFiles) {
    const c = readCase(entry.kernel);
    if (!c || entry.cpp === 'not-runnable') continue;
    const outcome = entry.cpp;
    it(outcome === 'match' ? entry.file : `${entry.file} (pending: ${outcome.pending})`, async function () {
      const p = fromDaceFile(path.join(corpusDir, entry.file));
      const args = caseArguments(p.sdfg, c);
      try {
        const native = await compile(p, { target: 'cpp' });
        native.run(args);
      } catch (error) {
        if (outcome !== 'match' && error instanceof SdfgError && error.code === outcome.code) this.skip();
        throw error;
      }
      assert.equal(firstMismatch(c, args), undefined);
      assert.equal(outcome, 'match', `now runs: mark it 'match' (was pending: ${outcome === 'match' ? '' : outcome.pending})`);
    });
  }
});
