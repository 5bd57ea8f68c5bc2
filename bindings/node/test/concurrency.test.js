'use strict';
// Background screening: screenMany on several worker threads equals serial
// screening in order, concurrent batches and screenAsync calls share
// screeners, idle workers let the process exit, and close() waits for the
// calls still running.
const test = require('node:test');
const assert = require('node:assert/strict');
const v8 = require('node:v8');
const vm = require('node:vm');
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const { Screener, XianshenError, InvalidInputError } = require('..');
const { prng, randomText, draft } = require('../support/drafts');

const screener = new Screener();
test.after(() => screener.close());

const rand = prng(20261207);
const texts = [];
for (let i = 0; i < 120; i++) texts.push(i % 3 === 0 ? draft(i, 2000) : randomText(rand, 5 + (i % 40)));
texts.push('', '本店出售冰毒');

test('screenMany on 1, 2 and 4 threads equals serial screening, in order', async () => {
  const serial = texts.map((t) => screener.screen(t));
  assert.ok(serial.some((r) => r.verdict === 'block') && serial.some((r) => r.verdict === 'pass'));
  for (const threads of [1, 2, 4]) {
    const many = await screener.screenMany(texts, { threads });
    assert.equal(many.length, texts.length);
    assert.deepEqual(many, serial, `threads: ${threads}`);
  }
  assert.deepEqual(await screener.screenMany(texts), serial, 'default threads');
});

test('screenMany passes the same options to every draft', async () => {
  const options = { kind: 'comment', title: '原标题：出售冰毒', date: '2026-01-02', redact: { mask: '*' } };
  const serial = texts.slice(0, 30).map((t) => screener.screen(t, options));
  const many = await screener.screenMany(texts.slice(0, 30), { ...options, threads: 2 });
  assert.deepEqual(many, serial);
  assert.ok(many.every((r) => typeof r.redacted === 'string' && r.titleFindings.length > 0));
});

test('screenMany builds the reports screen() builds: astral chars, titles, HTML, evasions, suggestions, redaction, truncation', async () => {
  // The workers parse and pack the reports and the main thread makes the
  // objects (report.js): every member, UTF-16 indices past astral chars
  // included, must come out as screen() makes it.
  const astral = prng(77);
  const drafts = [
    '𠮷野家出😀售冰毒，加微信abc12345',
    '👨‍👩‍👧关爱残废人群体，本店出售氷毒，你个ЅВ！\n第二行𝄞13812345678',
    '<p>本店<b>出售</b>冰毒 😀 &amp; 傻\u200b逼</p>',
    '',
    '"引号\\反斜杠\t\u0000" 出售bingdu 👍🏽',
    ...Array.from({ length: 40 }, (_, i) => randomText(astral, 10 + i)),
  ];
  const optionSets = [
    {},
    { title: '𠀀标题：出售冰毒😀', redact: { mask: '*' } },
    { redact: { replace: '[已删除]', rules: ['term.'] }, kind: 'comment' },
    { redact: { suggest: '*' }, inputFormat: 'html' },
    { inputFormat: 'markdown', title: '' },
  ];
  let findings = 0;
  for (const options of optionSets) {
    const serial = drafts.map((t) => screener.screen(t, options));
    for (const threads of [1, 2]) {
      const many = await screener.screenMany(drafts, { ...options, threads });
      assert.deepEqual(many, serial, `${JSON.stringify(options)}, threads: ${threads}`);
      // Same members in the same order, not only equal values.
      assert.equal(JSON.stringify(many), JSON.stringify(serial));
    }
    findings += serial.reduce((n, r) => n + r.findings.length, 0);
  }
  const all = drafts.map((t) => screener.screen(t, { title: '出售冰毒' }));
  const rules = new Set(all.flatMap((r) => r.findings.map((f) => f.rule)));
  assert.ok(findings > 100 && rules.size > 4, `${findings} findings, rules ${[...rules]}`);
  assert.ok(all.some((r) => r.findings.some((f) => f.evasion)), 'an evasion');
  assert.ok(all.some((r) => r.findings.some((f) => f.suggestion)), 'a suggestion');
  assert.ok(all.some((r) => r.findings.some((f) => f.start !== f.charStart)), 'UTF-16 indices past an astral char');

  const capped = Screener.fromToml('[meta]\nname = "t"\n[limits]\nmax_findings = 1\n');
  try {
    const few = ['加微信abc12345，电话13812345678', ...drafts.slice(0, 3)];
    const many = await capped.screenMany(few, { threads: 2 });
    assert.deepEqual(many, few.map((t) => capped.screen(t)));
    assert.ok(many[0].truncated && many[0].findings.length === 1);
  } finally {
    capped.close();
  }
});

test("screenMany's json member: read on demand, then a plain data member like screen()'s", async () => {
  const drafts = ['𠮷野家出😀售冰毒，加微信abc12345', '', '"引号\\反斜杠\t\u0000" 出售bingdu 👍🏽'];
  const serial = drafts.map((t) => screener.screen(t));
  const many = await screener.screenMany(drafts, { threads: 2 });
  for (const [i, r] of many.entries()) {
    assert.deepEqual(Object.keys(r), Object.keys(serial[i]), 'members in the same order');
    assert.ok(Object.getOwnPropertyDescriptor(r, 'json').get, 'not decoded before it is read');
    assert.equal(r.json, serial[i].json);
    assert.deepEqual(Object.getOwnPropertyDescriptor(r, 'json'), Object.getOwnPropertyDescriptor(serial[i], 'json'),
      'once read, a writable data member');
    assert.deepEqual(JSON.parse(r.json).findings.length, r.findings.length);
  }
  // Assigning before the first read replaces the value, as on screen()'s reports.
  const [fresh] = await screener.screenMany([drafts[0]], { threads: 1 });
  fresh.json = 'replaced';
  assert.equal(fresh.json, 'replaced');
  assert.equal({ ...fresh }.json, 'replaced');
  // Copies made before any read (spread, structuredClone) carry the JSON string.
  const [copied] = await screener.screenMany([drafts[0]], { threads: 1 });
  assert.equal(structuredClone(copied).json, serial[0].json);
  assert.equal({ ...copied }.json, serial[0].json);
});

test('screenMany splits large drafts over several chunks, in order', async () => {
  // Over a million UTF-16 units in all: the chunks are cut by size too.
  const big = (seed) => `${draft(seed, 3000).repeat(400)}\n本店出售冰毒`;
  const batch = [big(1), '傻逼', big(2), '', big(3), '你好'];
  const many = await screener.screenMany(batch, { threads: 2 });
  assert.deepEqual(many, batch.map((t) => screener.screen(t)));
  assert.equal(many[4].findings.at(-1).text, '出售冰毒');
});

test('concurrent batches of two screeners on the shared workers', async () => {
  const own = Screener.fromToml('[meta]\nname = "t"\n[[lexicon]]\ntag = "x"\nseverity = "block"\nterms = ["今天", "学校"]\n');
  try {
    const a = texts.slice(0, 60);
    const [mine, theirs] = await Promise.all([own.screenMany(a, { threads: 2 }), screener.screenMany(a, { threads: 3 })]);
    assert.deepEqual(mine, a.map((t) => own.screen(t)));
    assert.deepEqual(theirs, a.map((t) => screener.screen(t)));
    assert.ok(mine.some((r) => r.findings.some((f) => f.rule === 'term.x')));
  } finally {
    own.close();
  }
});

test('idle workers do not keep the process alive', () => {
  const script = `const { Screener } = require(${JSON.stringify(path.join(__dirname, '..'))});
    const s = new Screener();
    s.screenMany(['本店出售冰毒', '你好'], { threads: 2 }).then((r) => console.log(r.map((x) => x.verdict).join(' ')));`;
  const out = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30000 });
  assert.equal(out.trim(), 'block pass');
});

test('screenMany takes any iterable and an empty batch', async () => {
  assert.deepEqual(await screener.screenMany([]), []);
  const set = new Set(['傻逼', '你好']);
  const many = await screener.screenMany(set.values(), { threads: 2 });
  assert.deepEqual(many, [...set].map((t) => screener.screen(t)));
});

test('screenAsync: texts stay alive while C reads them (garbage collection), 300 calls at once', async () => {
  // Buffers over 4 KB are not pooled: without a reference held for the
  // call, a collection during the batch frees the text C is reading, and
  // the junk allocated next (invalid UTF-8) takes its place.
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc');
  const big = Array.from({ length: 300 }, (_, i) => draft(500 + i, 6000));
  const serial = big.map((t) => screener.screen(t).json);
  let junk = [];
  const churn = setInterval(() => {
    gc();
    for (let i = 0; i < 16; i++) junk.push(Buffer.alloc(Buffer.byteLength(big[0]) + (i % 4) * 64, 0xff));
    junk = junk.slice(-64);
  }, 0);
  try {
    for (let round = 0; round < 5; round++) {
      const reports = new Array(big.length);
      let next = 0;
      const lane = async () => {
        while (next < big.length) {
          const i = next++;
          reports[i] = await screener.screenAsync(big[i]);
        }
      };
      await Promise.all([lane(), lane(), lane()]);
      assert.deepEqual(reports.map((r) => r.json), serial, `round ${round}`);
    }
    const all = await Promise.all(big.map((t) => screener.screenAsync(t)));
    assert.deepEqual(all.map((r) => r.json), serial, 'all at once');
  } finally {
    clearInterval(churn);
  }
});

test('8 concurrent screenAsync calls share one screener', async () => {
  const batch = [...texts.slice(0, 7), ''];
  const reports = await Promise.all(batch.map((t) => screener.screenAsync(t)));
  assert.deepEqual(reports, batch.map((t) => screener.screen(t)));
});

test('screenMany rejects bad threads, texts and options', async () => {
  await assert.rejects(screener.screenMany(texts, { threads: 0 }), RangeError);
  await assert.rejects(screener.screenMany(texts, { threads: 1.5 }), RangeError);
  await assert.rejects(screener.screenMany(['ok', 42]), TypeError);
  await assert.rejects(screener.screenMany(['ok', 'a\ud800']), (err) => {
    assert.ok(err instanceof InvalidInputError);
    assert.equal(err.status, 'XS_ERR_INVALID_UTF8');
    assert.match(err.message, /^texts\[1\]: .*U\+D800 at UTF-16 index 1/);
    return true;
  });
  // The draft's place in the whole batch, past the first chunk.
  const many = Array.from({ length: 100 }, () => 'ok');
  many[77] = '出售\udc00';
  await assert.rejects(screener.screenMany(many, { threads: 2 }), /^InvalidInputError: texts\[77\]: .*U\+DC00 at UTF-16 index 2/);
  await assert.rejects(screener.screenMany(['ok'], { kind: 'tweet' }), (err) => {
    assert.ok(err instanceof InvalidInputError);
    assert.equal(err.status, 'XS_ERR_INVALID_ARGUMENT');
    return true;
  });
  await assert.rejects(screener.screenAsync('ok', { date: 'tomorrow' }), InvalidInputError);
});

test('close() lets running calls finish; later ones fail', async () => {
  const s = new Screener();
  const pending = s.screenAsync('本店出售冰毒');
  const batch = assert.rejects(s.screenMany(texts, { threads: 2 }), (err) => err instanceof XianshenError && /closed/.test(err.message));
  s.close();
  const r = await pending;
  assert.equal(r.verdict, 'block');
  assert.equal(r.findings[0].text, '出售冰毒');
  await batch;
  await assert.rejects(s.screenAsync('x'), XianshenError);
});
