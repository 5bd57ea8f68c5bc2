'use strict';
/**
 * A screenMany worker: screens chunks of drafts synchronously with a
 * screener the main thread owns (its handle is valid in every thread of
 * the process, and the screener is thread-safe), parses each report's JSON
 * and sends the chunk's reports back packed (report.js): the main thread
 * only makes the objects. Internal.
 *
 * A message `{call, path, handle, options, redact, bytes, ends}` (the
 * drafts' UTF-16 one after the other, each ending at byte `ends[i]`) gets one
 * reply: `{call, packed}` with every report; `{call, failed: {code, json, index}}`
 * for the first draft the engine rejects (its index in the chunk) (the rest of the chunk is not
 * screened: the batch fails on its first error); `{call, thrown}` for an
 * exception; `{call, error}` when the library cannot be loaded here.
 * @module xianshen/worker
 */

const { parentPort } = require('node:worker_threads');
const { open, screenUtf16 } = require('./native');
const { Packer } = require('./report');

/** @type {Map<string, import('./native').Native>} libraries by path */
const libs = new Map();

parentPort.on('message', ({ call, path, handle, options, redact, bytes, ends }) => {
  let lib = libs.get(path);
  if (lib === undefined) {
    try {
      lib = open(path);
    } catch (err) {
      parentPort.postMessage({ call, error: `xianshen worker: cannot load ${path}: ${err.message}` });
      return;
    }
    libs.set(path, lib);
  }
  let reply;
  let transfer;
  try {
    const packer = new Packer(redact);
    let start = 0;
    for (let index = 0; index < ends.length; index++) {
      const end = ends[index];
      const { code, json } = screenUtf16(lib, handle, bytes.subarray(start, end), options);
      if (code !== 0 || json === null) {
        parentPort.postMessage({ call, failed: { code, json, index } });
        return;
      }
      packer.add(json);
      start = end;
    }
    const [packed, buffers] = packer.finish();
    reply = { call, packed };
    transfer = buffers;
  } catch (err) {
    reply = { call, thrown: err }; // cloned: an Error keeps its class and message
    transfer = [];
  }
  try {
    parentPort.postMessage(reply, transfer);
  } catch (err) {
    parentPort.postMessage({ call, error: `xianshen worker: ${err.message}` }); // `thrown` could not be cloned
  }
});
