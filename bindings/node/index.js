'use strict';
/**
 * xianshen (先审) for Node.js: screen Chinese official new-media drafts
 * before they are published. A thin client of libxianshen (bindings/c)
 * through koffi: the same rules, the same findings and the same
 * `xianshen.report/1` JSON as the Rust library.
 *
 * CommonJS; `import { Screener } from 'xianshen'` works from ESM too.
 * @module xianshen
 */

const os = require('node:os');
const path = require('node:path');
const { Worker } = require('node:worker_threads');
const { open, take, screenSync } = require('./native');
const { report, unpack } = require('./report');

/** Status names by code, as in `enum xs_status` of xianshen.h. */
const STATUS_NAMES = [
  'XS_OK',
  'XS_ERR_NULL_ARGUMENT',
  'XS_ERR_INVALID_ARGUMENT',
  'XS_ERR_INVALID_UTF8',
  'XS_ERR_POLICY_SYNTAX',
  'XS_ERR_POLICY_INVALID',
  'XS_ERR_IO',
  'XS_ERR_OUT_OF_RANGE',
  'XS_ERR_OUT_OF_MEMORY',
  'XS_ERR_PANIC',
];

/** Policy statuses and the `PolicyError.kind` each one is. */
const POLICY_KINDS = {
  XS_ERR_POLICY_SYNTAX: 'syntax',
  XS_ERR_POLICY_INVALID: 'invalid',
  XS_ERR_IO: 'io',
};

/** Statuses that mean the caller passed something the engine rejects. */
const INPUT_STATUSES = new Set(['XS_ERR_NULL_ARGUMENT', 'XS_ERR_INVALID_ARGUMENT', 'XS_ERR_INVALID_UTF8']);

/**
 * An error reported by libxianshen (or found before calling it), with the
 * engine's status name and code.
 */
class XianshenError extends Error {
  /**
   * @param {string} message
   * @param {{status: string, code: number, path?: string|null, line?: number|null,
   *          column?: number|null, byteOffset?: number|null}} details
   */
  constructor(message, details) {
    super(message);
    this.name = new.target.name;
    /** Status name, e.g. `"XS_ERR_POLICY_SYNTAX"`. @type {string} */
    this.status = details.status;
    /** Numeric status (`enum xs_status`). @type {number} */
    this.code = details.code;
    /** The file concerned, when known. @type {string|null} */
    this.path = details.path ?? null;
    /** 1-based line, when known. @type {number|null} */
    this.line = details.line ?? null;
    /** 1-based column in characters, when known. @type {number|null} */
    this.column = details.column ?? null;
    /** Byte offset of the first bad byte (invalid UTF-8), when known. @type {number|null} */
    this.byteOffset = details.byteOffset ?? null;
  }
}

/**
 * A policy that cannot be used: malformed TOML or an unknown key
 * (`kind` "syntax"), a bad value ("invalid"), a policy or list file that
 * cannot be read ("io"). `path`, `line` and `column` say where, when known.
 */
class PolicyError extends XianshenError {
  /**
   * @param {string} message
   * @param {ConstructorParameters<typeof XianshenError>[1]} details
   */
  constructor(message, details) {
    super(message, details);
    /** `"syntax"`, `"invalid"` or `"io"`. @type {string} */
    this.kind = POLICY_KINDS[details.status];
  }
}

/**
 * Text or options the engine rejects: a bad `kind`, `date` or `redact`
 * option, an unknown option, a string with a lone surrogate (not
 * encodable as UTF-8).
 */
class InvalidInputError extends XianshenError {}

/**
 * Builds the error for an error JSON from libxianshen (or for a bare status
 * when the library could not produce one).
 * @param {number} code
 * @param {string|null} errorJson
 * @param {string} [context] put before the message (which draft of a batch)
 * @returns {XianshenError}
 */
function errorFrom(code, errorJson, context = '') {
  let e = null;
  if (errorJson) {
    try {
      e = JSON.parse(errorJson).error;
    } catch {
      e = null;
    }
  }
  const status = e?.status ?? STATUS_NAMES[code] ?? 'XS_UNKNOWN_STATUS';
  const details = {
    status,
    code: e?.code ?? code,
    path: e?.path,
    line: e?.line,
    column: e?.column,
    byteOffset: e?.byte_offset,
  };
  const message = context + (e?.message ?? `xianshen: ${status}`);
  if (status in POLICY_KINDS) return new PolicyError(message, details);
  if (INPUT_STATUSES.has(status)) return new InvalidInputError(message, details);
  return new XianshenError(message, details);
}

/**
 * A JavaScript-side rejection of a string that UTF-8 cannot carry.
 * @param {string} what
 * @param {string} s
 */
function loneSurrogate(what, s) {
  let i = 0;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
      break;
    }
    if (c >= 0xdc00 && c <= 0xdfff) break;
  }
  return new InvalidInputError(`${what} has a lone surrogate at index ${i} and cannot be encoded as UTF-8`, {
    status: 'XS_ERR_INVALID_UTF8',
    code: 3,
  });
}

/**
 * Checks that `s` is a string (TypeError) that UTF-8 can carry
 * (InvalidInputError).
 * @param {string} what
 * @param {unknown} s
 * @returns {string}
 */
function wellFormed(what, s) {
  if (!stringArg(what, s).isWellFormed()) throw loneSurrogate(what, s);
  return s;
}

/**
 * Checks that `s` is a string (TypeError). A draft's text is only checked
 * so: it goes to the library as UTF-16, which rejects a lone surrogate
 * naming its index.
 * @param {string} what
 * @param {unknown} s
 * @returns {string}
 */
function stringArg(what, s) {
  if (typeof s !== 'string') throw new TypeError(`${what} must be a string, not ${s === null ? 'null' : typeof s}`);
  return s;
}

// ---------------------------------------------------------------------------
// The native library

/** The file name of the library on this platform. */
function libraryFileName() {
  if (process.platform === 'darwin') return 'libxianshen.dylib';
  if (process.platform === 'win32') return 'xianshen.dll';
  return 'libxianshen.so';
}

/** @typedef {import('./native').Native} Native */

/** @type {Native|null} */
let loaded = null;

/**
 * Loads libxianshen: `path` when given, else the file named by the
 * XIANSHEN_LIBRARY environment variable, else `libxianshen.so` from the
 * system library path. Screeners built afterwards use it.
 * @param {string} [file] an explicit file path
 * @returns {string} the engine version of the loaded library
 * @throws {Error} naming every place tried when none loads
 */
function loadLibrary(file) {
  const tried = [];
  const candidates = [];
  if (file !== undefined) {
    if (typeof file !== 'string' || file === '') throw new TypeError('the library path must be a non-empty string');
    candidates.push(['explicit path', file]);
  } else {
    const env = process.env.XIANSHEN_LIBRARY;
    if (env) candidates.push(['XIANSHEN_LIBRARY', env]);
    else tried.push('XIANSHEN_LIBRARY: not set');
    candidates.push(['system library path', libraryFileName()]);
  }
  for (const [where, spec] of candidates) {
    // A path is made absolute, so workers find it whatever the current
    // directory is then; a bare name is looked up on the library path.
    const target = spec.includes('/') || spec.includes(path.sep) ? path.resolve(spec) : spec;
    try {
      loaded = open(target);
    } catch (err) {
      tried.push(`${where}: ${spec}: ${err.message}`);
      continue;
    }
    return loaded.version;
  }
  throw new Error(
    `xianshen: cannot load libxianshen (build it with \`cargo build --manifest-path bindings/c/Cargo.toml\` ` +
      `and set XIANSHEN_LIBRARY to its path); tried:\n  - ${tried.join('\n  - ')}`,
  );
}

/** @returns {Native} the loaded library, loading it on first use. */
function native() {
  if (loaded === null) loadLibrary();
  return /** @type {Native} */ (loaded);
}

/**
 * The engine version of libxianshen (loads it if needed), e.g. "0.1.0".
 * @returns {string}
 */
function version() {
  return native().version;
}

// ---------------------------------------------------------------------------
// Options

/**
 * The options JSON for xs_screen_json, `null` for the defaults.
 * @param {object|undefined} options
 * @param {string[]} [skip] keys that belong to the caller, not the engine
 * @returns {{json: string|null, redact: boolean}}
 */
function optionsJson(options, skip = []) {
  if (options === undefined || options === null) return { json: null, redact: false };
  if (typeof options !== 'object' || Array.isArray(options)) throw new TypeError('options must be an object');
  const o = {};
  for (const [k, v] of Object.entries(options)) {
    if (v === undefined || skip.includes(k)) continue;
    if ((k === 'title' || k === 'source') && v !== null) wellFormed(k, v);
    // JavaScript names, the engine's JSON names.
    const key = k === 'inputFormat' ? 'input_format' : k;
    o[key] = k === 'date' && v instanceof Date ? v.toISOString().slice(0, 10) : v;
  }
  const keys = Object.keys(o);
  return { json: keys.length ? JSON.stringify(o) : null, redact: o.redact != null };
}

// ---------------------------------------------------------------------------
// Screener

/**
 * The report for one xs_screen_json result, or the error it reports.
 * @param {number} code the status
 * @param {string|null} json the report JSON, or the error JSON
 * @param {boolean} redact
 * @returns {Report}
 */
function finish(code, json, redact) {
  if (code !== 0 || json === null) throw errorFrom(code, json);
  return report(json, redact);
}

/**
 * Koffi queues at most 256 async calls (more throw): screenAsync calls past
 * ASYNC_MAX wait here, in order, for one to end.
 */
const ASYNC_MAX = 64;
const asyncCalls = {
  running: 0,
  /** @type {Function[]} */
  waiting: [],
  /** @param {Function} call starts a koffi async call */
  start(call) {
    if (this.running < ASYNC_MAX) {
      this.running++;
      call();
    } else this.waiting.push(call);
  },
  end() {
    const call = this.waiting.shift();
    if (call) call();
    else this.running--;
  },
};

/** The most drafts sent to a worker in one message... */
const CHUNK_MAX = 32;
/** ...and the most UTF-16 units, unless one draft alone has more. */
const CHUNK_UNITS = 1 << 20;
/**
 * Chunks given to each worker at a time: it starts on the next one as soon
 * as it posts one, without waiting for the main thread to take the reports
 * and send more drafts. Eight chunks of 5 KB drafts are about 13 ms of
 * screening, longer than the main thread's scavenges of a large batch's
 * reports (about 12 ms): with two, the workers ran dry during them.
 */
const CHUNKS_QUEUED = 8;

/**
 * The UTF-16 of a chunk of drafts, one after the other, in a buffer of its
 * own (transferred to the worker, not copied), and the byte offset where
 * each draft ends.
 * @param {string[]} texts
 * @returns {{bytes: Buffer, ends: Float64Array}}
 */
function encodeChunk(texts) {
  let units = 0;
  for (const t of texts) units += t.length;
  // Not from Buffer's shared pool: it is transferred. Never empty.
  const bytes = Buffer.allocUnsafeSlow(Math.max(2, units * 2));
  const ends = new Float64Array(texts.length);
  let end = 0;
  for (let i = 0; i < texts.length; i++) {
    end += bytes.write(texts[i], end, 'utf16le');
    ends[i] = end;
  }
  return { bytes, ends };
}

/**
 * The worker threads of screenMany, shared by every screener. They are
 * started on first use, referenced only while they have work (an idle pool
 * does not keep the process alive) and replaced if one dies.
 */
const pool = {
  /** @type {({worker: Worker, calls: Map<number, Function>} | undefined)[]} */
  workers: [],
  nextCall: 0,

  /**
   * Runs one chunk on worker number `index`; `done(err, reply)` runs on the
   * main thread, with the worker's reply (see worker.js): `packed` reports,
   * or `failed`, the status and error JSON of the first text rejected.
   * @param {number} index
   * @param {{path: string, handle: bigint, options: string|null, redact: boolean,
   *          bytes: Buffer, ends: Float64Array}} message the drafts from {@link encodeChunk},
   *   whose buffers are transferred
   * @param {(err: Error|null, reply?: {packed?: import('./report').Packed,
   *          failed?: {code: number, json: string|null}}) => void} done
   */
  run(index, message, done) {
    const slot = this.workers[index] ?? this.spawn(index);
    const call = this.nextCall++;
    if (slot.calls.size === 0) slot.worker.ref();
    slot.calls.set(call, done);
    slot.worker.postMessage({ call, ...message }, [message.bytes.buffer, message.ends.buffer]);
  },

  /** Starts worker number `index`. */
  spawn(index) {
    const worker = new Worker(path.join(__dirname, 'worker.js'));
    const slot = { worker, calls: new Map() };
    this.workers[index] = slot;
    worker.unref();
    worker.on('message', (reply) => {
      const done = slot.calls.get(reply.call);
      slot.calls.delete(reply.call);
      if (slot.calls.size === 0) worker.unref();
      if (reply.error) done(new Error(reply.error));
      else if ('thrown' in reply) done(reply.thrown);
      else done(null, reply);
    });
    const lost = (err) => {
      if (this.workers[index] === slot) this.workers[index] = undefined;
      const calls = [...slot.calls.values()];
      slot.calls.clear();
      for (const done of calls) done(err);
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`xianshen: a screenMany worker exited (code ${code})`)));
    return slot;
  },
};

const BUILD = Symbol('xianshen.build');

/** Frees screeners that were never closed, when they are collected. */
const finalizer = new FinalizationRegistry(({ lib, handle }) => lib.screenerFree(handle));

/**
 * A compiled policy. Build it once (every term goes into one automaton) and
 * screen any number of drafts with it: on the main thread
 * ({@link Screener#screen}), on libuv's thread pool
 * ({@link Screener#screenAsync}) or on worker threads
 * ({@link Screener#screenMany}), all sharing the one native screener.
 */
class Screener {
  /** @type {Native} */
  #lib;
  /** @type {bigint|null} */
  #handle = null;
  /** Calls running on background threads. */
  #inflight = 0;
  #closed = false;

  /**
   * A screener for the embedded default policy.
   * @throws {PolicyError|XianshenError}
   */
  constructor(...args) {
    if (args.length > 0 && args[0] !== BUILD) {
      throw new TypeError('new Screener() takes no arguments: use Screener.fromToml or Screener.fromFile for a policy');
    }
    const config = args[0] === BUILD ? args[1] : null;
    this.#lib = native();
    const handle = [null];
    const error = [null];
    const code = this.#lib.newJson(config, handle, error);
    const errorJson = take(this.#lib, error[0]);
    if (code !== 0) throw errorFrom(code, errorJson);
    this.#handle = handle[0];
    finalizer.register(this, { lib: this.#lib, handle: this.#handle }, this);
  }

  /**
   * A screener for policy TOML text.
   * @param {string} toml the policy
   * @param {{baseDir?: string}} [options] the folder list files and `extends`
   *   paths are resolved against (the current directory when absent)
   * @returns {Screener}
   * @throws {PolicyError} with `kind`, `path`, `line`, `column`
   */
  static fromToml(toml, options = {}) {
    const config = { policy_toml: wellFormed('toml', toml) };
    if (options.baseDir !== undefined && options.baseDir !== null) config.base_dir = wellFormed('baseDir', options.baseDir);
    return new Screener(BUILD, JSON.stringify(config));
  }

  /**
   * A screener for a policy file; list files are resolved against its folder.
   * @param {string} path
   * @returns {Screener}
   * @throws {PolicyError} with `kind`, `path`, `line`, `column`
   */
  static fromFile(path) {
    return new Screener(BUILD, JSON.stringify({ policy_file: wellFormed('path', path) }));
  }

  /**
   * Loads libxianshen from `path` (else XIANSHEN_LIBRARY, else the system
   * library path) for the screeners built afterwards.
   * @param {string} [path]
   * @returns {string} the engine version
   */
  static loadLibrary(path) {
    return loadLibrary(path);
  }

  /** @returns {bigint} the live handle, or throws when closed. */
  #live() {
    if (this.#closed) {
      throw new XianshenError('xianshen: the screener is closed', { status: 'XS_ERR_NULL_ARGUMENT', code: 1 });
    }
    return /** @type {bigint} */ (this.#handle);
  }

  /**
   * Screens one draft on the calling thread.
   * @param {string} text the draft
   * @param {ScreenOptions} [options] `title`, `source`, `repost`, `kind`,
   *   `date` ("YYYY-MM-DD" or a Date, UTC), `inputFormat` ("text", "html",
   *   "markdown": offsets into the source), `redact`
   * @returns {Report}
   * @throws {InvalidInputError} for a bad option or a lone surrogate
   */
  screen(text, options) {
    const handle = this.#live();
    const opts = optionsJson(options);
    const { code, json } = screenSync(this.#lib, handle, stringArg('text', text), opts.json);
    return finish(code, json, opts.redact);
  }

  /**
   * Screens one draft on a background thread of libuv's pool (koffi's
   * async call); any number may run at once on one screener.
   * @param {string} text
   * @param {ScreenOptions} [options]
   * @returns {Promise<Report>}
   */
  screenAsync(text, options) {
    return new Promise((resolve, reject) => {
      const opts = optionsJson(options);
      const buf = Buffer.from(stringArg('text', text), 'utf16le'); // aligned to 8 bytes, even from the pool
      const handle = this.#live();
      const out = [null];
      // koffi hands C the Buffer's address and keeps no reference to it: the
      // callback holds `pinned` so the text is not collected while C reads it.
      const pinned = { buf };
      const ended = () => {
        pinned.buf = null;
        this.#release();
        asyncCalls.end();
      };
      const callback = (err, code) => {
        ended();
        if (err) {
          reject(err);
          return;
        }
        try {
          resolve(finish(code, take(this.#lib, out[0]), opts.redact));
        } catch (e) {
          reject(e);
        }
      };
      this.#acquire();
      asyncCalls.start(() => {
        try {
          this.#lib.screenJsonUtf16.async(handle, buf, buf.length / 2, opts.json, out, callback);
        } catch (err) {
          ended();
          reject(err);
        }
      });
    });
  }

  /**
   * Screens many drafts on `threads` worker threads sharing this screener;
   * the reports come back in the order of `texts`. The main thread sends
   * chunks of drafts as UTF-16 (two chunks queued per worker); the workers
   * screen them, parse the reports and send them back packed (report.js),
   * so that all the main thread does is copy drafts and make report
   * objects, little enough not to hold back two or more workers. Rejects
   * with the first error (and sends no more texts).
   * @param {Iterable<string>} texts
   * @param {ScreenOptions & {threads?: number}} [options] the same options for every
   *   draft; `threads` defaults to os.availableParallelism()
   * @returns {Promise<Report[]>}
   */
  screenMany(texts, options = {}) {
    return new Promise((resolve, reject) => {
      const list = Array.from(texts);
      list.forEach((t, i) => stringArg(`texts[${i}]`, t));
      const threads = options?.threads ?? os.availableParallelism();
      if (!Number.isInteger(threads) || threads < 1) throw new RangeError('threads must be an integer >= 1');
      const opts = optionsJson(options, ['threads']);
      this.#live();
      const results = new Array(list.length);
      if (list.length === 0) {
        resolve(results);
        return;
      }
      let next = 0; // the first text not yet sent
      let pending = list.length; // reports not yet in `results`
      let failed = false;
      const fail = (err) => {
        if (!failed) {
          failed = true;
          reject(err);
        }
      };
      const send = (worker) => {
        if (failed || next >= list.length) return;
        const start = next;
        // Chunks large enough that a message's cost is shared by many drafts,
        // smaller towards the end so that the threads finish together.
        const size = Math.min(CHUNK_MAX, Math.ceil((list.length - start) / (threads * 4)));
        let units = list[next++].length;
        while (next < list.length && next - start < size && units + list[next].length <= CHUNK_UNITS) {
          units += list[next++].length;
        }
        const count = next - start;
        let handle;
        try {
          handle = this.#live();
        } catch (err) {
          fail(err); // closed while the batch ran
          return;
        }
        this.#acquire();
        const { bytes, ends } = encodeChunk(list.slice(start, next));
        const message = { path: this.#lib.path, handle, options: opts.json, redact: opts.redact, bytes, ends };
        pool.run(worker, message, (err, reply) => {
          this.#release();
          send(worker); // keep the worker's queue full
          if (failed) return;
          if (err) {
            fail(err);
            return;
          }
          if (reply.failed) {
            const { code, json, index } = reply.failed;
            fail(errorFrom(code, json, `texts[${start + index}]: `));
            return;
          }
          try {
            unpack(reply.packed, results, start);
          } catch (e) {
            fail(e);
            return;
          }
          pending -= count;
          if (pending === 0) resolve(results);
        });
      };
      for (let queued = 0; queued < CHUNKS_QUEUED; queued++) {
        for (let w = 0; w < threads; w++) send(w);
      }
    });
  }

  /** Counts a call that uses the handle on another thread. */
  #acquire() {
    this.#inflight++;
  }

  /** Ends such a call; frees the handle if it was closed meanwhile. */
  #release() {
    this.#inflight--;
    if (this.#closed && this.#inflight === 0) this.#free();
  }

  #free() {
    if (this.#handle !== null) {
      this.#lib.screenerFree(this.#handle);
      this.#handle = null;
    }
  }

  /**
   * Releases the compiled policy (after any background call still running).
   * Idempotent; any use afterwards throws a XianshenError.
   */
  close() {
    if (this.#closed) return;
    this.#closed = true;
    finalizer.unregister(this);
    if (this.#inflight === 0) this.#free();
  }

  /** Whether {@link Screener#close} was called. */
  get closed() {
    return this.#closed;
  }
}

/**
 * @typedef {import('./index').ScreenOptions} ScreenOptions
 * @typedef {import('./index').Report} Report
 */

module.exports = {
  Screener,
  XianshenError,
  PolicyError,
  InvalidInputError,
  loadLibrary,
  version,
};
