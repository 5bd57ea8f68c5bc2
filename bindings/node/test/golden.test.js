'use strict';
// Every golden case of tests/cases (the JSONL fixture written by
// bindings/c's golden_fixture example, path in XIANSHEN_GOLDEN): the report
// JSON byte for byte, the expected findings, string slices, redaction and
// policy errors, one test per case; screenMany's reports equal screen()'s.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { Screener, PolicyError } = require('..');

const fixture = process.env.XIANSHEN_GOLDEN;
if (!fixture) throw new Error('XIANSHEN_GOLDEN must name the golden JSONL fixture (bindings/node/test.sh writes it)');
const cases = fs
  .readFileSync(fixture, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line));

const STATUS = { syntax: 'XS_ERR_POLICY_SYNTAX', invalid: 'XS_ERR_POLICY_INVALID', io: 'XS_ERR_IO' };
let defaultScreener = null;

test('the fixture has cases', () => {
  assert.ok(cases.length > 50, `${cases.length} cases in ${fixture}`);
});

/** Checks that every finding's offsets all slice `s` to its text. */
function checkSlices(s, findings, where) {
  const bytes = Buffer.from(s, 'utf8');
  const chars = Array.from(s);
  for (const f of findings) {
    assert.equal(s.slice(f.start, f.end), f.text, `${where}: ${f.rule} [${f.start}, ${f.end}) (UTF-16)`);
    assert.equal(bytes.subarray(f.byteStart, f.byteEnd).toString('utf8'), f.text, `${where}: ${f.rule} bytes`);
    assert.equal(chars.slice(f.charStart, f.charEnd).join(''), f.text, `${where}: ${f.rule} chars`);
  }
}

for (const c of cases) {
  test(c.name, async () => {
    if (c.error) {
      assert.ok(c.policy !== null, 'an error case has a policy');
      assert.throws(
        () => Screener.fromToml(c.policy, { baseDir: c.base_dir }),
        (err) => {
          assert.ok(err instanceof PolicyError, `${err.name}: ${err.message}`);
          assert.equal(err.kind, c.error.kind);
          assert.equal(err.status, STATUS[c.error.kind]);
          if (c.error.line !== null) assert.equal(err.line, c.error.line, err.message);
          if (c.error.column !== null) assert.equal(err.column, c.error.column, err.message);
          if (c.error.contains !== null) assert.ok(err.message.includes(c.error.contains), err.message);
          return true;
        },
      );
      return;
    }
    let screener;
    if (c.policy !== null) screener = Screener.fromToml(c.policy, { baseDir: c.base_dir });
    else screener = defaultScreener ??= new Screener();
    try {
      const { redact, ...options } = c.options;
      const r = screener.screen(c.input, options);
      assert.ok(c.json !== null, 'a screening case has the Rust JSON');
      assert.equal(r.json, c.json, 'the report JSON differs from the Rust library');
      if (c.verdict !== null) assert.equal(r.verdict, c.verdict);
      if (c.approval !== null) assert.equal(r.approval, c.approval);
      if (c.truncated !== null) assert.equal(r.truncated, c.truncated);
      checkSlices(c.input, r.findings, 'text');
      if (options.title != null) checkSlices(options.title, r.titleFindings, 'title');
      else assert.deepEqual(r.titleFindings, []);
      if (c.findings !== null) {
        const kept = r.findings.filter((f) => c.rules === null || c.rules.some((p) => f.rule.startsWith(p)));
        const got = kept.map((f) => ({ rule: f.rule, start: f.byteStart, end: f.byteEnd, text: f.text, evasion: f.evasion ?? null }));
        const want = c.findings.map((f) => ({ rule: f.rule, start: f.start, end: f.end, text: f.text, evasion: f.evasion ?? null }));
        assert.deepEqual(got, want);
      }
      if (c.redact_output !== null) {
        assert.ok(redact, 'a redaction case has options.redact');
        const rr = screener.screen(c.input, c.options);
        assert.equal(rr.redacted, c.redact_output);
        assert.equal(rr.json, r.json, 'redaction leaves the report JSON alone');
      }
      // The workers parse and pack the reports; the main thread makes the objects.
      const one = screener.screen(c.input, c.options);
      assert.deepEqual(await screener.screenMany([c.input, c.input], { ...c.options, threads: 2 }), [one, one], 'screenMany');
    } finally {
      if (screener !== defaultScreener) screener.close();
    }
  });
}

test.after(() => defaultScreener?.close());
