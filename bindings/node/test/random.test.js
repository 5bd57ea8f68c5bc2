'use strict';
// Seeded random texts of ASCII, CJK, astral chars (emoji, CJK Ext-B),
// combining marks and planted terms: every finding's offsets, in the text
// and in the title, slice the string to the finding's text.
const test = require('node:test');
const assert = require('node:assert/strict');
const { Screener } = require('..');
const { prng, randomText } = require('../support/drafts');

const ROUNDS = Number(process.env.XIANSHEN_RANDOM_ROUNDS ?? 400);

/** Checks UTF-16, byte and code point offsets and line/column of every finding. */
function checkFindings(s, findings, what) {
  const bytes = Buffer.from(s, 'utf8');
  const chars = Array.from(s);
  for (const f of findings) {
    assert.equal(s.slice(f.start, f.end), f.text, `${what}: ${f.rule} [${f.start}, ${f.end}) of ${JSON.stringify(s)}`);
    assert.equal(bytes.subarray(f.byteStart, f.byteEnd).toString('utf8'), f.text, `${what}: ${f.rule} bytes`);
    assert.equal(chars.slice(f.charStart, f.charEnd).join(''), f.text, `${what}: ${f.rule} chars`);
    const before = chars.slice(0, f.charStart);
    const lastNewline = before.lastIndexOf('\n');
    assert.equal(f.line, before.filter((c) => c === '\n').length + 1, `${what}: ${f.rule} line`);
    assert.equal(f.column, f.charStart - lastNewline, `${what}: ${f.rule} column`);
  }
}

for (const kind of ['article', 'comment']) {
  test(`${ROUNDS} random ${kind}s: findings slice the text and the title`, () => {
    const screener = new Screener();
    const rand = prng(kind === 'article' ? 1 : 2);
    let findings = 0;
    let titleFindings = 0;
    const rules = new Set();
    try {
      for (let i = 0; i < ROUNDS; i++) {
        const text = randomText(rand, 1 + Math.floor(rand() * 60));
        const title = randomText(rand, Math.floor(rand() * 8));
        const r = screener.screen(text, { title, kind });
        checkFindings(text, r.findings, 'text');
        checkFindings(title, r.titleFindings, 'title');
        findings += r.findings.length;
        titleFindings += r.titleFindings.length;
        for (const f of r.findings) rules.add(f.rule);
      }
    } finally {
      screener.close();
    }
    // The planted terms must be found, or the loop checked nothing.
    assert.ok(findings > ROUNDS, `${findings} findings`);
    assert.ok(titleFindings > 0, `${titleFindings} title findings`);
    for (const rule of ['term.drugs', 'privacy.mobile']) assert.ok(rules.has(rule), [...rules].join(' '));
  });
}

test('a text too large for the scratch buffer (1.5 M UTF-16 units)', async () => {
  const screener = new Screener();
  try {
    const text = `${'𠀀今天'.repeat(375000)}\n本店出售冰毒`;
    for (const r of [screener.screen(text), await screener.screenAsync(text), (await screener.screenMany([text], { threads: 1 }))[0]]) {
      assert.equal(r.findings.at(-1).text, '出售冰毒');
      assert.equal(r.findings.at(-1).line, 2);
      checkFindings(text, r.findings.slice(-3), 'text');
    }
  } finally {
    screener.close();
  }
});

test('reports larger than the reused UTF-16 buffer, and larger than the most it keeps', async () => {
  // A report comes back as UTF-16 in a buffer of 32 K units that grows up
  // to 4 M units; past that a report gets an array of its own. The
  // redacted text is part of the report: its length sets the report's.
  if (process.env.XIANSHEN_LIBRARY) {
    // test.sh builds the library: it has the call, so this is the path tested.
    assert.ok(require('../native').open(process.env.XIANSHEN_LIBRARY).utf16FromUtf8, 'xs_utf16_from_utf8');
  }
  const screener = new Screener();
  try {
    for (const repeat of [20000, 1100000]) {
      const text = `${'𠀀今天'.repeat(repeat)}\n本店出售冰毒`;
      const options = { redact: { mask: '*' } };
      for (const r of [screener.screen(text, options), await screener.screenAsync(text, options)]) {
        assert.ok(r.redacted.length > (repeat === 20000 ? 32 * 1024 : 4 * 1024 * 1024), `${r.redacted.length} units`);
        assert.equal(r.redacted, `${'𠀀今天'.repeat(repeat)}\n本店****`);
        const parsed = JSON.parse(r.json);
        assert.equal(parsed.findings.at(-1).text, '出售冰毒');
        assert.equal(r.findings.at(-1).text, '出售冰毒');
      }
    }
    // And a small one after the large ones: the buffer kept still serves.
    assert.equal(screener.screen('本店出售冰毒').findings[0].text, '出售冰毒');
  } finally {
    screener.close();
  }
});
