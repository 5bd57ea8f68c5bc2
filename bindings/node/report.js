'use strict';
/**
 * Report objects from libxianshen's report JSON, built in two ways that give
 * equal objects (same members, same order, same values):
 *
 * - {@link report}: JSON.parse and build, for screen() and screenAsync() on
 *   the main thread;
 * - {@link Packer} and {@link unpack}, for screenMany: a worker parses the
 *   JSON of a chunk of drafts and packs the reports into a few flat arrays
 *   (the numbers in a Float64Array, every distinct string once, the report
 *   JSONs as UTF-8 in one buffer), which cost little to post; the main
 *   thread only makes the objects from them, and decodes a report's `json`
 *   when it is first read. JSON parsing and most of the structured-clone
 *   work stay on the workers, so the main thread does not hold back two or
 *   more of them.
 *
 * Internal.
 * @module xianshen/report
 */

/**
 * One finding, with JavaScript string indices in `start`/`end`.
 * @param {any} f a finding of the report JSON
 */
function finding(f) {
  // Keep in step with unpackFinding below: same members, same order.
  const out = {
    rule: f.rule,
    category: f.category,
    severity: f.severity,
    approval: f.approval,
    start: f.utf16_start,
    end: f.utf16_end,
    byteStart: f.start,
    byteEnd: f.end,
    charStart: f.char_start,
    charEnd: f.char_end,
    line: f.line,
    column: f.column,
    text: f.text,
    message: f.message,
  };
  if (f.term != null) out.term = f.term;
  if (f.suggestion != null) out.suggestion = f.suggestion;
  if (f.evasion != null) out.evasion = f.evasion;
  return out;
}

/**
 * The report JSON alone, without the `redacted` member xs_screen_json
 * appends when redaction was asked for: the JSON xs_report_json gives.
 * @param {string} json
 * @param {boolean} redact
 */
function reportJsonOf(json, redact) {
  if (!redact) return json;
  // `redacted` is the last member. Quotes inside string values are escaped,
  // so the only unescaped `"redacted":` is the member's own key.
  const key = json.lastIndexOf('"redacted":');
  const comma = json.lastIndexOf(',', key);
  return `${json.slice(0, comma).trimEnd()}}`;
}

/**
 * Turns the JSON from xs_screen_json into a report object.
 * @param {string} json the report JSON, with a last `redacted` member when redaction was asked for
 * @param {boolean} redact
 * @returns {import('./index').Report}
 */
function report(json, redact) {
  const r = JSON.parse(json);
  // Keep in step with unpack below: same members, same order.
  /** @type {any} */
  const out = {
    verdict: r.verdict,
    approval: r.approval,
    findings: r.findings.map(finding),
    titleFindings: (r.title_findings ?? []).map(finding),
    truncated: r.truncated,
    json: reportJsonOf(json, redact),
  };
  if (redact) out.redacted = r.redacted;
  return out;
}

// ---------------------------------------------------------------------------
// Packed reports (screenMany)

/** Per finding: this many numbers in `nums`... */
const FINDING_NUMS = 8;
/** ...and this many string ids in `ids` (-1: null or absent). */
const FINDING_IDS = 9;
/** Per report, before its findings: this many ids. */
const REPORT_IDS = 5;

/**
 * @typedef {object} Packed the reports of a chunk of drafts, in order
 * @property {number} count how many reports
 * @property {ArrayBuffer} jsons the reports' JSON (without `redacted`) as
 *   UTF-8, one after the other
 * @property {Float64Array} jsonEnds where each report's JSON ends in `jsons`
 * @property {string[]|null} redacted each redacted text, when asked for
 * @property {string[]} strings the distinct strings `ids` point to
 * @property {Int32Array} ids per report: verdict, approval, truncated (0 or 1),
 *   finding and title finding counts, then FINDING_IDS per finding
 * @property {Float64Array} nums FINDING_NUMS per finding
 */

/** A typed array that doubles its capacity as numbers are pushed. */
class Growable {
  /**
   * @param {Int32ArrayConstructor|Float64ArrayConstructor} Type
   * @param {number} capacity
   */
  constructor(Type, capacity) {
    this.array = new Type(capacity);
    this.length = 0;
  }

  /** @param {number} v */
  push(v) {
    if (this.length === this.array.length) {
      const grown = new this.array.constructor(this.array.length * 2);
      grown.set(this.array);
      this.array = grown;
    }
    this.array[this.length++] = v;
  }

  /** The numbers pushed, in an array of their own (to transfer). */
  take() {
    return this.array.slice(0, this.length);
  }
}

/** Builds the {@link Packed} reports of one chunk, on a worker. */
class Packer {
  /** @param {boolean} redact */
  constructor(redact) {
    this.redact = redact;
    this.count = 0;
    this.jsons = Buffer.allocUnsafeSlow(64 * 1024); // not from the shared pool: it is transferred
    this.jsonEnd = 0;
    this.jsonEnds = new Growable(Float64Array, 64);
    /** @type {string[]|null} */
    this.redacted = redact ? [] : null;
    /** @type {string[]} */
    this.strings = [];
    /** @type {Map<string, number>} */
    this.index = new Map();
    this.ids = new Growable(Int32Array, 1024);
    this.nums = new Growable(Float64Array, 512);
  }

  /**
   * The id of a string in the table; -1 for null or undefined.
   * @param {string|null|undefined} s
   */
  id(s) {
    if (s == null) return -1;
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.index.set(s, i);
    }
    return i;
  }

  /** @param {any} f a finding of the report JSON */
  finding(f) {
    this.nums.push(f.utf16_start);
    this.nums.push(f.utf16_end);
    this.nums.push(f.start);
    this.nums.push(f.end);
    this.nums.push(f.char_start);
    this.nums.push(f.char_end);
    this.nums.push(f.line);
    this.nums.push(f.column);
    this.ids.push(this.id(f.rule));
    this.ids.push(this.id(f.category));
    this.ids.push(this.id(f.severity));
    this.ids.push(this.id(f.approval));
    this.ids.push(this.id(f.text));
    this.ids.push(this.id(f.message));
    this.ids.push(this.id(f.term));
    this.ids.push(this.id(f.suggestion));
    this.ids.push(this.id(f.evasion));
  }

  /**
   * Adds the report of one xs_screen_json result.
   * @param {string} json as for {@link report}
   */
  add(json) {
    const r = JSON.parse(json);
    const title = r.title_findings ?? [];
    this.ids.push(this.id(r.verdict));
    this.ids.push(this.id(r.approval));
    this.ids.push(r.truncated ? 1 : 0);
    this.ids.push(r.findings.length);
    this.ids.push(title.length);
    for (const f of r.findings) this.finding(f);
    for (const f of title) this.finding(f);
    this.addJson(reportJsonOf(json, this.redact));
    if (this.redacted) this.redacted.push(r.redacted);
    this.count++;
  }

  /**
   * Appends one report's JSON, as UTF-8, to the chunk's buffer.
   * @param {string} json
   */
  addJson(json) {
    const max = this.jsonEnd + json.length * 3; // UTF-8 bytes per UTF-16 unit, at most
    if (max > this.jsons.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(max, this.jsons.length * 2));
      this.jsons.copy(grown, 0, 0, this.jsonEnd);
      this.jsons = grown;
    }
    this.jsonEnd += this.jsons.write(json, this.jsonEnd, 'utf8');
    this.jsonEnds.push(this.jsonEnd);
  }

  /**
   * The packed reports, and the buffers to transfer with them.
   * @returns {[Packed, ArrayBuffer[]]}
   */
  finish() {
    const ids = this.ids.take();
    const nums = this.nums.take();
    const jsonEnds = this.jsonEnds.take();
    // A copy of the bytes used, not the buffer's spare capacity: the reports
    // keep it alive until their `json` is read or they are collected.
    const jsons = this.jsons.buffer.slice(0, this.jsonEnd);
    const packed = {
      count: this.count,
      jsons,
      jsonEnds,
      redacted: this.redacted,
      strings: this.strings,
      ids,
      nums,
    };
    return [packed, [ids.buffer, nums.buffer, jsonEnds.buffer, jsons]];
  }
}

/**
 * The findings at `at` of packed reports, as {@link finding} makes them.
 * @param {Packed} p
 * @param {{id: number, num: number}} at read positions, advanced
 * @param {number} n how many
 */
function unpackFindings(p, at, n) {
  const { strings, ids, nums } = p;
  const out = new Array(n);
  for (let k = 0; k < n; k++) {
    const i = at.id;
    const j = at.num;
    const approval = ids[i + 3];
    const f = {
      rule: strings[ids[i]],
      category: strings[ids[i + 1]],
      severity: strings[ids[i + 2]],
      approval: approval < 0 ? null : strings[approval],
      start: nums[j],
      end: nums[j + 1],
      byteStart: nums[j + 2],
      byteEnd: nums[j + 3],
      charStart: nums[j + 4],
      charEnd: nums[j + 5],
      line: nums[j + 6],
      column: nums[j + 7],
      text: strings[ids[i + 4]],
      message: strings[ids[i + 5]],
    };
    if (ids[i + 6] >= 0) f.term = strings[ids[i + 6]];
    if (ids[i + 7] >= 0) f.suggestion = strings[ids[i + 7]];
    if (ids[i + 8] >= 0) f.evasion = strings[ids[i + 8]];
    out[k] = f;
    at.id += FINDING_IDS;
    at.num += FINDING_NUMS;
  }
  return out;
}

/**
 * Gives `report` an enumerable `json` member, in the place a data member
 * would have, that decodes `bytes[start..end]` when first read and is a
 * plain data member from then on: most callers never read it, and a large
 * batch's JSON strings, made eagerly, cost the main thread more than all
 * the rest of its objects.
 * @param {object} report
 * @param {Buffer} bytes
 * @param {number} start
 * @param {number} end
 */
function lazyJson(report, bytes, start, end) {
  Object.defineProperty(report, 'json', {
    enumerable: true,
    configurable: true,
    get() {
      const value = bytes.toString('utf8', start, end);
      Object.defineProperty(report, 'json', { value, enumerable: true, configurable: true, writable: true });
      return value;
    },
    set(value) {
      Object.defineProperty(report, 'json', { value, enumerable: true, configurable: true, writable: true });
    },
  });
}

/**
 * Makes the report objects of packed reports (on the main thread) and
 * stores them from `results[start]` on.
 * @param {Packed} p
 * @param {unknown[]} results
 * @param {number} start
 */
function unpack(p, results, start) {
  const { strings, ids, jsonEnds } = p;
  const jsons = Buffer.from(p.jsons);
  const at = { id: 0, num: 0 };
  for (let r = 0; r < p.count; r++) {
    const i = at.id;
    const approval = ids[i + 1];
    const nFindings = ids[i + 3];
    const nTitle = ids[i + 4];
    at.id += REPORT_IDS;
    /** @type {any} */
    const out = {
      verdict: strings[ids[i]],
      approval: approval < 0 ? null : strings[approval],
      findings: unpackFindings(p, at, nFindings),
      titleFindings: unpackFindings(p, at, nTitle),
      truncated: ids[i + 2] === 1,
    };
    lazyJson(out, jsons, r === 0 ? 0 : jsonEnds[r - 1], jsonEnds[r]);
    if (p.redacted) out.redacted = p.redacted[r];
    results[start + r] = out;
  }
}

module.exports = { report, Packer, unpack };
