// Every file of the DaCe corpus loads, validates, prints, round-trips to identical DaCe JSON, and (where its code
// translates) runs on the reference interpreter to NumPy's results.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fromDace, fromDaceFile, toDace } from '../../../dace-interop.js';
import { ArgumentError, SdfgError } from '../../../graph/errors.js';
import { printSDFG } from '../../../graph/printer.js';
import { validationIssues } from '../../../graph/validate.js';
import { caseArguments, corpusDir, corpusFiles, firstMismatch, readCase, requireCorpus } from './corpus-cases.js';

/** Differences between two JSON values, as paths (DaCe's stored `hash` is recomputed by DaCe, so it is not written). */
function jsonDiffs(a: unknown, b: unknown, at = '', out: string[] = []): string[] {
  if (out.length >= 5) return out;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const ka = Object.keys(a).filter((k) => k !== 'hash'), kb = Object.keys(b).filter((k) => k !== 'hash');
    for (const k of new Set([...ka, ...kb])) jsonDiffs((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`, out);
  } else if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${at}: ${JSON.stringify(a)?.slice(0, 80)} became ${JSON.stringify(b)?.slice(0, 80)}`);
  return out;
}

describe('graph/dace: the DaCe corpus', () => {
  before(requireCorpus);
  it('lists every file of the corpus', () => {
    const onDisk = readdirSync(corpusDir, { withFileTypes: true }).filter((d) => d.isDirectory())
      .flatMap((d) => readdirSync(path.join(corpusDir, d.name)).filter((f) => f.endsWith('.sdfg')).map((f) => `${d.name}/${f}`));
    assert.deepEqual([...corpusFiles.map((f) => f.file)].sort(), onDisk.sort());
  });

  for (const entry of corpusFiles) {
    describe(entry.file, () => {
      const file = path.join(corpusDir, entry.file);
      const program = () => fromDaceFile(file);

      it('loads, reports what it keeps untranslated, and prints', () => {
        const p = program();
        assert.equal(p.report.untranslatedTasklets.length, entry.untranslated, String(p.report));
        assert.equal(p.report.unknownLibraryNodes.length, entry.unknownLibraries, String(p.report));
        assert.equal(p.report.runnable, entry.reference !== 'not-runnable');
        assert.match(p.toString(), new RegExp(`^sdfg ${p.sdfg.name}\\n`));
      });

      it(entry.knownIssues.length ? `validates, but for ${entry.knownIssues.join(', ')}` : 'validates', () => {
        const issues = validationIssues(program().sdfg).filter((i) => !entry.knownIssues.includes(i.code));
        assert.deepEqual(issues.map((i) => i.message), []);
      });

      it('writes back the JSON it was read from, and reads that back to the same graph', () => {
        const text = readFileSync(file, 'utf8');
        const p = fromDace(text);
        const written = toDace(p);
        assert.deepEqual(jsonDiffs(JSON.parse(text), written), []);
        assert.equal(printSDFG(fromDace(JSON.stringify(written)).sdfg), printSDFG(p.sdfg));
      });

      const c = readCase(entry.kernel);
      if (!c || entry.reference === 'not-runnable') return;
      const outcome = entry.reference;
      const title = "runs on the reference interpreter to NumPy's results";
      it(outcome === 'match' ? title : `${title} (pending: ${outcome.pending})`, function () {
        const p = program();
        const args = caseArguments(p.sdfg, c);
        try {
          p.run(args);
        } catch (error) {
          if (outcome !== 'match' && error instanceof SdfgError && error.code === outcome.code) this.skip();
          throw error;
        }
        assert.equal(firstMismatch(c, args), undefined);
        assert.equal(outcome, 'match', `now runs: mark it 'match' (was pending: ${outcome === 'match' ? '' : outcome.pending})`);
      });
    });
  }

  it('checks a symbol passed where an array length also gives it', () => {
    const p = fromDaceFile(path.join(corpusDir, 'gemm/gemm.simplified.sdfg'));
    const args = caseArguments(p.sdfg, readCase('gemm')!);
    assert.equal(args['NI'], 7);
    assert.throws(() => p.run({ ...args, NI: 8 }), (e: unknown) => e instanceof ArgumentError);
  });
});
