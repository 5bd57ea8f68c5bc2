'use strict';
// HTML and Markdown drafts: what a reader sees is screened, and every index
// points into the source as given, markup included.
const test = require('node:test');
const assert = require('node:assert/strict');
const { Screener, InvalidInputError } = require('..');

const screener = new Screener();
test.after(() => screener.close());

test('an offer across a tag is found in HTML, with indices into the source', () => {
  const html = '<p>本店<b>出售</b>冰毒😀</p>';
  const drugs = (r) => r.findings.filter((f) => f.rule === 'term.drugs');
  const [f] = drugs(screener.screen(html, { inputFormat: 'html', title: '通知' }));
  assert.equal(f.text, '出售</b>冰毒');
  assert.equal(html.slice(f.start, f.end), f.text);
  assert.equal(f.byteStart, Buffer.byteLength('<p>本店<b>'));
  // As plain text the tag breaks the term.
  assert.deepEqual(drugs(screener.screen(html)), []);
});

test('Markdown, and an unknown format is an InvalidInputError', () => {
  const md = '# 通知\n\n本店**出售**冰毒';
  const [f] = screener.screen(md, { inputFormat: 'markdown' }).findings.filter((x) => x.rule === 'term.drugs');
  assert.equal(md.slice(f.start, f.end), '出售**冰毒');
  assert.throws(() => screener.screen(md, { inputFormat: 'pdf' }), (e) => e instanceof InvalidInputError && /pdf/.test(e.message));
});
