'use strict';
/**
 * The koffi declarations of libxianshen's JSON API, shared by the main
 * thread (index.js) and the screenMany workers (worker.js), and the
 * synchronous screening calls both make. Internal.
 * @module xianshen/native
 */

const koffi = require('koffi');

/**
 * The functions of one loaded libxianshen.
 * @typedef {object} Native
 * @property {string} path what it was loaded from (a path or a library name)
 * @property {string} version xs_version()
 * @property {Function} newJson xs_screener_new_json
 * @property {Function} screenJson xs_screen_json
 * @property {Function} screenerFree xs_screener_free
 * @property {Function} stringFree xs_string_free
 * @property {Function|null} utf16FromUtf8 xs_utf16_from_utf8 (null in a
 *   library older than it: strings are then decoded from UTF-8 here)
 */

/**
 * Loads a library and declares its functions.
 * @param {string} path a file path or a library name for dlopen
 * @returns {Native}
 * @throws {Error} when it cannot be loaded or lacks a function
 */
function open(path) {
  const lib = koffi.load(path);
  try {
    return {
      path,
      newJson: lib.func('int32_t xs_screener_new_json(const char *config_json, _Out_ void **screener, _Out_ void **error_json)'),
      screenJson: lib.func(
        'int32_t xs_screen_json(void *screener, const uint8_t *text, uint64_t text_len, const char *options_json, _Out_ void **out_json)',
      ),
      screenerFree: lib.func('void xs_screener_free(void *screener)'),
      // Returned strings are read as `void *`, decoded by hand and freed
      // here: never by koffi, never with another allocator's free.
      stringFree: lib.func('void xs_string_free(void *s)'),
      version: lib.func('const char *xs_version(void)')(),
      utf16FromUtf8: optionalFunc(lib, 'int64_t xs_utf16_from_utf8(void *s, uint16_t *out, uint64_t capacity)'),
    };
  } catch (err) {
    lib.unload();
    throw new Error(`not a libxianshen with the JSON API (${err.message})`);
  }
}

/** A function the library may lack (one added after the first release), or null. */
function optionalFunc(lib, declaration) {
  try {
    return lib.func(declaration);
  } catch {
    return null;
  }
}

/** Reused for the UTF-16 of strings the library hands out (see {@link take}). */
let units = new Uint16Array(32 * 1024);
/** A larger string gets an array of its own, not kept. */
const UNITS_MAX = 4 * 1024 * 1024;

/**
 * The string at `ptr` through xs_utf16_from_utf8: the library converts it
 * to UTF-16 in `units` and V8 copies that, five times faster than V8
 * decodes the UTF-8 of a report (mostly ASCII with Chinese in it).
 * @param {Native} lib
 * @param {bigint} ptr
 * @returns {string}
 */
function utf16String(lib, ptr) {
  let into = units;
  let n = Number(lib.utf16FromUtf8(ptr, into, into.length));
  if (n < 0) {
    into = new Uint16Array(-n);
    if (-n <= UNITS_MAX) units = into;
    n = Number(lib.utf16FromUtf8(ptr, into, into.length));
  }
  return Buffer.from(into.buffer, into.byteOffset, n * 2).toString('utf16le');
}

/**
 * Reads a NUL-terminated UTF-8 string the library handed out and frees it.
 * @param {Native} lib
 * @param {bigint|null} ptr
 * @returns {string|null}
 */
function take(lib, ptr) {
  if (!ptr) return null;
  try {
    return lib.utf16FromUtf8 ? utf16String(lib, ptr) : koffi.decode(ptr, 'char', -1);
  } finally {
    lib.stringFree(ptr);
  }
}

/** Reused for the UTF-8 of texts screened synchronously (C keeps no pointer). */
let scratch = Buffer.allocUnsafe(64 * 1024);
const SCRATCH_MAX = 4 * 1024 * 1024;

/**
 * Screens `text` synchronously on this thread: the UTF-8 goes in the
 * thread's scratch buffer when it fits, else in a buffer of its own.
 * @param {Native} lib
 * @param {bigint} handle the screener
 * @param {string} text well-formed UTF-16
 * @param {string|null} options the options JSON
 * @returns {{code: number, json: string|null}} the status and the report (or error) JSON
 */
function screenSync(lib, handle, text, options) {
  const max = text.length * 3; // UTF-8 bytes per UTF-16 code unit, at most
  if (max > scratch.length && max <= SCRATCH_MAX) scratch = Buffer.allocUnsafe(Math.max(max, scratch.length * 2));
  let buf = scratch;
  let len;
  if (max <= scratch.length) len = scratch.write(text, 0, 'utf8');
  else {
    buf = Buffer.from(text, 'utf8');
    len = buf.length;
  }
  const out = [null];
  const code = lib.screenJson(handle, buf, len, options, out);
  return { code, json: take(lib, out[0]) };
}

/**
 * Screens UTF-8 text synchronously on this thread.
 * @param {Native} lib
 * @param {bigint} handle the screener
 * @param {Uint8Array} bytes the text's UTF-8 (a view into a larger buffer is fine)
 * @param {string|null} options the options JSON
 * @returns {{code: number, json: string|null}} the status and the report (or error) JSON
 */
function screenUtf8(lib, handle, bytes, options) {
  const out = [null];
  const code = lib.screenJson(handle, bytes, bytes.length, options, out);
  return { code, json: take(lib, out[0]) };
}

module.exports = { open, take, screenSync, screenUtf8 };
