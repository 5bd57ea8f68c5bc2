'use strict';
/**
 * A screenMany worker: screens chunks of texts synchronously with a
 * screener the main thread owns (its handle is valid in every thread of
 * the process, and the screener is thread-safe) and sends back each
 * report's JSON; the main thread builds the report objects. Internal.
 * @module xianshen/worker
 */

const { parentPort } = require('node:worker_threads');
const { open, screenSync } = require('./native');

/** @type {Map<string, import('./native').Native>} libraries by path */
const libs = new Map();

parentPort.on('message', ({ call, path, handle, options, texts }) => {
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
  const codes = new Int32Array(texts.length);
  const jsons = new Array(texts.length);
  for (let i = 0; i < texts.length; i++) {
    const r = screenSync(lib, handle, texts[i], options);
    codes[i] = r.code;
    jsons[i] = r.json;
    if (r.code !== 0) break; // the batch fails on its first error
  }
  parentPort.postMessage({ call, codes, jsons });
});
