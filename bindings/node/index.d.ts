// Type declarations of xianshen (先审) for Node.js (CommonJS; importable from ESM).

/** A draft's decision. */
export type Verdict = 'pass' | 'review' | 'block';
/** Who must sign off (分级审核): reviewer, unit head, city leadership. */
export type Approval = 'reviewer' | 'head' | 'leadership';
/** How serious a finding is. */
export type Severity = 'info' | 'review' | 'block';
/** What kind of text a draft is. */
export type Kind = 'article' | 'repost' | 'comment' | 'reply' | 'response';

/** How to redact: one of `mask`, `replace`, `suggest`, optionally only some rules. */
export type RedactOptions = ({ mask: string } | { replace: string } | { suggest: string }) & {
  /** Rule-id prefixes (e.g. `"privacy."`); every finding when absent. */
  rules?: string[];
};

/** Metadata of a draft. */
export interface ScreenOptions {
  /** The title, screened as a field of its own (see `Report.titleFindings`). */
  title?: string | null;
  /** The declared source unit (来源) from the CMS. */
  source?: string | null;
  /** Whether the CMS marks the draft as a repost; the text's own markers decide when null. */
  repost?: boolean | null;
  /** `"article"` by default; `"comment"` for the public's messages. */
  kind?: Kind;
  /** The screening date, `"YYYY-MM-DD"` or a Date (its UTC day); today (UTC) when absent. */
  date?: string | Date;
  /**
   * `"text"` by default; `"html"` or `"markdown"`: the text a reader sees is
   * screened, and every index still points into the source, markup included.
   */
  inputFormat?: 'text' | 'html' | 'markdown';
  /** Also return the text with findings masked, in `Report.redacted`. */
  redact?: RedactOptions;
}

/** One finding. `start`/`end` are JavaScript string indices: `text.slice(start, end) === finding.text`. */
export interface Finding {
  /** Stable rule id, e.g. `"term.drugs"`, `"privacy.id_card"`. */
  rule: string;
  /** The rule id before the first dot, e.g. `"term"`. */
  category: string;
  severity: Severity;
  /** Who must sign off because of it; null when it asks for nobody beyond the reviewer. */
  approval: Approval | null;
  /** UTF-16 index of the first char (a char outside the BMP counts two). */
  start: number;
  /** UTF-16 index one past the last char. */
  end: number;
  /** UTF-8 byte offsets. */
  byteStart: number;
  byteEnd: number;
  /** Unicode code point offsets. */
  charStart: number;
  charEnd: number;
  /** 1-based line and column (column in chars). */
  line: number;
  column: number;
  /** The text of the span, exactly as written. */
  text: string;
  /** The lexicon entry as written in the policy (term findings). */
  term?: string;
  /** What is wrong and what to do (Chinese). */
  message: string;
  /** A replacement to offer (style rules). */
  suggestion?: string;
  /** For a term spelled to evade: `"lookalike"`, `"pinyin"`, `"homophone"` or `"chaizi"`. */
  evasion?: string;
}

/** The report on one draft. */
export interface Report {
  verdict: Verdict;
  approval: Approval;
  /** Findings in the text, by start offset then rule id. */
  findings: Finding[];
  /** Findings in the title; their offsets index the title. */
  titleFindings: Finding[];
  /** Whether the findings were cut at the policy's `max_findings`. */
  truncated: boolean;
  /**
   * The `xianshen.report/1` JSON, byte for byte as the Rust library gives it.
   * On {@link Screener.screenMany}'s reports it is decoded from UTF-8 when
   * first read (an enumerable accessor until then, a data member after).
   */
  json: string;
  /** The text with findings masked, when `redact` was asked for. */
  redacted?: string;
}

/** An error from libxianshen, with its status. */
export class XianshenError extends Error {
  /** Status name, e.g. `"XS_ERR_POLICY_SYNTAX"`. */
  readonly status: string;
  /** Numeric status (`enum xs_status`). */
  readonly code: number;
  readonly path: string | null;
  readonly line: number | null;
  readonly column: number | null;
  readonly byteOffset: number | null;
}

/** A policy that cannot be used; `path`, `line`, `column` say where when known. */
export class PolicyError extends XianshenError {
  readonly kind: 'syntax' | 'invalid' | 'io';
}

/** Text or options the engine rejects (bad kind, date or redact option, a lone surrogate). */
export class InvalidInputError extends XianshenError {}

/** A compiled policy, shared by any number of concurrent calls. */
export class Screener {
  /** A screener for the embedded default policy. */
  constructor();
  /** A screener for policy TOML text; list files resolve against `baseDir` (else the current directory). */
  static fromToml(toml: string, options?: { baseDir?: string | null }): Screener;
  /** A screener for a policy file. */
  static fromFile(path: string): Screener;
  /** Loads libxianshen from `path`, else XIANSHEN_LIBRARY, else the system path; returns the engine version. */
  static loadLibrary(path?: string): string;
  /** Screens one draft on the calling thread. */
  screen(text: string, options?: ScreenOptions): Report;
  /** Screens one draft on a thread of libuv's pool. */
  screenAsync(text: string, options?: ScreenOptions): Promise<Report>;
  /** Screens drafts on `threads` worker threads (default: the core count); reports in input order. */
  screenMany(texts: Iterable<string>, options?: ScreenOptions & { threads?: number }): Promise<Report[]>;
  /** Releases the policy; idempotent; later use throws. */
  close(): void;
  /** Whether `close()` was called. */
  readonly closed: boolean;
}

/** Loads libxianshen (see `Screener.loadLibrary`); returns the engine version. */
export function loadLibrary(path?: string): string;
/** The engine version of libxianshen, e.g. `"0.1.0"`. */
export function version(): string;
