'use strict';
// Every error path: policy syntax and value errors with line and column,
// missing files, bad options, strings UTF-8 cannot carry, use after close,
// and a library that cannot be found.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const xianshen = require('..');
const { Screener, XianshenError, PolicyError, InvalidInputError } = xianshen;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xianshen-node-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const screener = new Screener();
test.after(() => screener.close());

/** assert.throws with a check of the error's class and fields. */
function throwsLike(fn, cls, fields) {
  assert.throws(fn, (err) => {
    assert.ok(err instanceof cls, `${err.name}: ${err.message}`);
    assert.ok(err instanceof Error);
    for (const [k, v] of Object.entries(fields)) {
      if (v instanceof RegExp) assert.match(err[k], v);
      else assert.equal(err[k], v, `${k} (${err.message})`);
    }
    return true;
  });
}

const GROUP = '[meta]\nname = "t"\n[[lexicon]]\ntag = "x"\nseverity = "block"\n';

test('an unknown key is a syntax error at its line and column', () => {
  throwsLike(() => Screener.fromToml('[meta]\nname = "t"\nversoin = "1"\n'), PolicyError, {
    kind: 'syntax', status: 'XS_ERR_POLICY_SYNTAX', code: 4, line: 3, column: 1, path: null, message: /versoin/,
  });
});

test('broken TOML is a syntax error on its line', () => {
  throwsLike(() => Screener.fromToml('[meta]\nname = "t"\n[[lexicon]\n'), PolicyError, { kind: 'syntax', line: 3 });
});

test('an empty term is an invalid policy at its line', () => {
  throwsLike(() => Screener.fromToml(`${GROUP}terms = [""]\n`), PolicyError, {
    kind: 'invalid', status: 'XS_ERR_POLICY_INVALID', code: 5, line: 6,
  });
});

test('a missing list file is an io error where the policy names it', () => {
  throwsLike(() => Screener.fromToml(`${GROUP}files = ["lists/no_such_list.txt"]\n`, { baseDir: tmp }), PolicyError, {
    kind: 'io', status: 'XS_ERR_IO', code: 6, line: 6, column: 10, message: /no_such_list\.txt/,
  });
});

test('list files resolve against baseDir, and against a policy file\'s folder', () => {
  fs.mkdirSync(path.join(tmp, 'lists'), { recursive: true });
  fs.writeFileSync(path.join(tmp, 'lists', 'words.txt'), '# test list\n违禁词甲\n');
  const toml = `${GROUP}files = ["lists/words.txt"]\n`;
  const s = Screener.fromToml(toml, { baseDir: tmp });
  assert.deepEqual(s.screen('这里有违禁词甲').findings.map((f) => f.text), ['违禁词甲']);
  s.close();
  const file = path.join(tmp, 'policy.toml');
  fs.writeFileSync(file, toml);
  const f = Screener.fromFile(file);
  assert.equal(f.screen('违禁词甲').verdict, 'block');
  f.close();
});

test('a missing policy file is an io error naming the path', () => {
  const missing = path.join(tmp, 'no-such-policy.toml');
  throwsLike(() => Screener.fromFile(missing), PolicyError, { kind: 'io', status: 'XS_ERR_IO', message: /no-such-policy\.toml/ });
  assert.throws(() => Screener.fromFile(missing), (err) => err.path === null || err.path === missing);
});

test('a policy file with an error names the file, line and column', () => {
  const file = path.join(tmp, 'bad.toml');
  fs.writeFileSync(file, '# bad\n[meta]\nname = "bad"\nunknown_key = 1\n');
  throwsLike(() => Screener.fromFile(file), PolicyError, { kind: 'syntax', path: file, line: 4, column: 1 });
});

test('bad kind, date, redact and unknown options are InvalidInputError', () => {
  const invalid = { status: 'XS_ERR_INVALID_ARGUMENT', code: 2 };
  throwsLike(() => screener.screen('ok', { kind: 'tweet' }), InvalidInputError, { ...invalid, message: /tweet/ });
  throwsLike(() => screener.screen('ok', { date: '2026-13-45' }), InvalidInputError, invalid);
  throwsLike(() => screener.screen('ok', { date: 'today' }), InvalidInputError, invalid);
  throwsLike(() => screener.screen('ok', { titel: 'x' }), InvalidInputError, { ...invalid, message: /titel/ });
  throwsLike(() => screener.screen('ok', { repost: 'yes' }), InvalidInputError, invalid);
  throwsLike(() => screener.screen('ok', { redact: { blur: true } }), InvalidInputError, invalid);
  throwsLike(() => screener.screen('ok', { threads: 2 }), InvalidInputError, invalid);
  assert.ok(!(new InvalidInputError('m', invalid) instanceof PolicyError));
  assert.ok(new InvalidInputError('m', invalid) instanceof XianshenError);
});

test('a Date screening date is its UTC day', () => {
  const date = new Date(Date.UTC(2026, 0, 2, 23, 59));
  assert.equal(JSON.parse(screener.screen('ok', { date }).json).date, '2026-01-02');
  assert.equal(JSON.parse(screener.screen('ok', { date: '2025-06-30' }).json).date, '2025-06-30');
});

test('strings UTF-8 cannot carry and non-strings are rejected', () => {
  const utf8 = { status: 'XS_ERR_INVALID_UTF8', code: 3 };
  throwsLike(() => screener.screen('出售\ud800冰毒'), InvalidInputError, { ...utf8, message: /index 2/ });
  throwsLike(() => screener.screen('ok\udc00'), InvalidInputError, { ...utf8, message: /index 2/ });
  throwsLike(() => screener.screen('ok', { title: 'a\ud83d' }), InvalidInputError, { ...utf8, message: /title/ });
  throwsLike(() => Screener.fromToml('[meta]\nname = "\ud800"\n'), InvalidInputError, utf8);
  assert.throws(() => screener.screen(42), TypeError);
  assert.throws(() => screener.screen(null), TypeError);
  assert.throws(() => screener.screen('ok', 'comment'), TypeError);
  assert.throws(() => new Screener({ policy: 'x' }), TypeError);
  assert.throws(() => Screener.fromFile(undefined), TypeError);
});

test('close() is idempotent and use after close throws', async () => {
  const s = new Screener();
  assert.equal(s.closed, false);
  s.close();
  s.close();
  assert.equal(s.closed, true);
  throwsLike(() => s.screen('ok'), XianshenError, { status: 'XS_ERR_NULL_ARGUMENT', message: /closed/ });
  await assert.rejects(s.screenAsync('ok'), /closed/);
  await assert.rejects(s.screenMany(['ok']), /closed/);
});

test('version() is the engine version in every report', () => {
  assert.match(xianshen.version(), /^\d+\.\d+\.\d+/);
  assert.equal(JSON.parse(screener.screen('ok').json).engine.version, xianshen.version());
});

test('loadLibrary with a bad path names it and keeps the loaded library', () => {
  const bad = path.join(tmp, 'no-such-dir', 'libxianshen.so');
  assert.throws(() => Screener.loadLibrary(bad), (err) => {
    assert.ok(err.message.includes(`explicit path: ${bad}`), err.message);
    return true;
  });
  assert.throws(() => Screener.loadLibrary(''), TypeError);
  assert.equal(new Screener().screen('本店出售冰毒').verdict, 'block');
});

test('a library without the JSON API is refused', { skip: process.platform !== 'linux' && 'glibc only' }, () => {
  assert.throws(() => Screener.loadLibrary('libc.so.6'), /libc\.so\.6: not a libxianshen with the JSON API/);
});

test('when no library loads, the error lists every place tried', (t) => {
  const bad = path.join(tmp, 'nowhere', 'libxianshen.so');
  const script = `try { require(${JSON.stringify(path.join(__dirname, '..'))}).version(); console.log('loaded'); }
    catch (e) { console.log(e.message); }`;
  const run = (env) => execFileSync(process.execPath, ['-e', script], { env, encoding: 'utf8' });
  const { XIANSHEN_LIBRARY, ...rest } = process.env;
  const withEnv = run({ ...rest, XIANSHEN_LIBRARY: bad });
  if (withEnv.trim() === 'loaded') {
    t.skip('libxianshen.so is installed on the system library path');
    return;
  }
  assert.match(withEnv, /cannot load libxianshen/);
  assert.ok(withEnv.includes(`XIANSHEN_LIBRARY: ${bad}`), withEnv);
  assert.ok(withEnv.includes('system library path: libxianshen.so'), withEnv);
  const without = run(rest);
  assert.ok(without.includes('XIANSHEN_LIBRARY: not set'), without);
  assert.ok(without.includes('system library path: libxianshen.so'), without);
});
