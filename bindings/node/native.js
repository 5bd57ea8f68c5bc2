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
 * @property {Function} screenJsonUtf16 xs_screen_json_utf16
 * @property {Function} screenerFree xs_screener_free
 * @property {Function} stringFree xs_string_free
 * @property {Function} utf16FromUtf8 xs_utf16_from_utf8
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
      // Drafts go in as UTF-16, as JavaScript holds them: the library
      // converts them to UTF-8 faster than V8 does.
      screenJsonUtf16: lib.func(
        'int32_t xs_screen_json_utf16(void *screener, const uint16_t *text, uint64_t text_len, const char *options_json, _Out_ void **out_json)',
      ),
      screenerFree: lib.func('void xs_screener_free(void *screener)'),
      // Returned strings are read as `void *`, decoded by hand and freed
      // here: never by koffi, never with another allocator's free.
      stringFree: lib.func('void xs_string_free(void *s)'),
      version: lib.func('const char *xs_version(void)')(),
      utf16FromUtf8: lib.func('int64_t xs_utf16_from_utf8(void *s, uint16_t *out, uint64_t capacity)'),
    };
  } catch (err) {
    lib.unload();
    throw new Error(`not a libxianshen with the JSON API (${err.message})`);
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
    return utf16String(lib, ptr);
  } finally {
    lib.stringFree(ptr);
  }
}

/** Reused for the UTF-16 of texts screened synchronously (C keeps no pointer). */
let scratch = Buffer.allocUnsafeSlow(64 * 1024);
const SCRATCH_MAX = 4 * 1024 * 1024;

/**
 * Screens `text` synchronously on this thread: its UTF-16 goes in the
 * thread's scratch buffer, grown up to SCRATCH_MAX; a longer text gets a
 * buffer of its own (outside Buffer's pool: aligned, as the library needs).
 * @param {Native} lib
 * @param {bigint} handle the screener
 * @param {string} text any string (the library rejects a lone surrogate)
 * @param {string|null} options the options JSON
 * @returns {{code: number, json: string|null}} the status and the report (or error) JSON
 */
function screenSync(lib, handle, text, options) {
  const bytes = text.length * 2;
  if (bytes > SCRATCH_MAX) return screenUtf16(lib, handle, Buffer.from(text, 'utf16le'), options);
  if (bytes > scratch.length) scratch = Buffer.allocUnsafeSlow(Math.max(bytes, scratch.length * 2));
  scratch.write(text, 0, 'utf16le');
  return screenUtf16(lib, handle, scratch.subarray(0, bytes), options);
}

/**
 * Screens UTF-16 code units synchronously on this thread.
 * @param {Native} lib
 * @param {bigint} handle the screener
 * @param {Uint8Array} units the text's UTF-16LE, at an even byte offset
 *   (a view into a larger buffer is fine)
 * @param {string|null} options the options JSON
 * @returns {{code: number, json: string|null}} the status and the report (or error) JSON
 */
function screenUtf16(lib, handle, units, options) {
  const out = [null];
  const code = lib.screenJsonUtf16(handle, units, units.length / 2, options, out);
  return { code, json: take(lib, out[0]) };
}

module.exports = { open, take, screenSync, screenUtf16 };
