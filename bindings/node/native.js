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
    };
  } catch (err) {
    lib.unload();
    throw new Error(`not a libxianshen with the JSON API (${err.message})`);
  }
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
    return koffi.decode(ptr, 'char', -1);
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
