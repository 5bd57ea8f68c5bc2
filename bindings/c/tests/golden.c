/* Runs every golden vector of tests/cases/ through the C API. The cases come
 * as a line-based fixture written by tools/golden_fixture.rs (format in its
 * doc comment), which also carries the report JSON the Rust library gives
 * for each draft: the C API must give the same findings, verdict, approval,
 * redaction and errors as the case expects, and byte-identical JSON. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>

#include "check.h"

typedef struct {
  char *p;
  size_t len;
  int present;
} bytes;

typedef struct {
  char rule[128];
  size_t start, end;
  bytes text;
  char evasion[16];
} expected_finding;

#define MAX_LIST 16
#define MAX_FINDINGS 256

typedef struct {
  char name[256];
  bytes policy, input, title, source;
  char repost[16], kind[16], verdict[16], approval[16], truncated[4];
  size_t nrules;
  bytes rules[MAX_LIST];
  int has_findings;
  size_t nfindings;
  expected_finding findings[MAX_FINDINGS];
  int has_redact;
  char redact_kind[16];
  unsigned long redact_char;
  bytes redact_replace, redact_output;
  size_t nredact_rules;
  bytes redact_rules[MAX_LIST];
  int has_error;
  char error_kind[16], error_line[16], error_column[16];
  bytes error_contains;
  bytes json;
} golden_case;

static const char *cases_dir;
static xs_screener *default_screener;
static int case_failed;

static void fail(const golden_case *c, const char *what) {
  if (!case_failed) fprintf(stderr, "case %s:\n", c->name);
  fprintf(stderr, "    %s\n", what);
  case_failed = 1;
}

static int hexval(char ch) {
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  return -1;
}

/* Decodes one token: "-" is absent, "x<hex>" are bytes. */
static bytes decode(const char *tok) {
  bytes b = {NULL, 0, 0};
  if (tok == NULL || strcmp(tok, "-") == 0) return b;
  size_t n = strlen(tok + 1) / 2;
  b.p = malloc(n + 1);
  for (size_t i = 0; i < n; i++)
    b.p[i] = (char)(hexval(tok[1 + 2 * i]) * 16 + hexval(tok[2 + 2 * i]));
  b.p[n] = '\0';
  b.len = n;
  b.present = 1;
  return b;
}

static void free_bytes(bytes *b) {
  free(b->p);
  b->p = NULL;
}

static void free_case(golden_case *c) {
  free_bytes(&c->policy);
  free_bytes(&c->input);
  free_bytes(&c->title);
  free_bytes(&c->source);
  for (size_t i = 0; i < c->nrules; i++) free_bytes(&c->rules[i]);
  for (size_t i = 0; i < c->nfindings; i++) free_bytes(&c->findings[i].text);
  free_bytes(&c->redact_replace);
  free_bytes(&c->redact_output);
  for (size_t i = 0; i < c->nredact_rules; i++) free_bytes(&c->redact_rules[i]);
  free_bytes(&c->error_contains);
  free_bytes(&c->json);
  memset(c, 0, sizeof *c);
}

static void copy_word(char *dst, size_t cap, const char *tok) {
  snprintf(dst, cap, "%s", tok ? tok : "-");
}

/* Reads "<n> <str>..." into a list. */
static size_t read_list(char **save, bytes *list) {
  size_t n = strtoul(strtok_r(NULL, " ", save), NULL, 10);
  for (size_t i = 0; i < n && i < MAX_LIST; i++) list[i] = decode(strtok_r(NULL, " ", save));
  return n < MAX_LIST ? n : MAX_LIST;
}

static int has_prefix(xs_str rule, const bytes *prefixes, size_t n) {
  if (n == 0) return 1;
  for (size_t i = 0; i < n; i++)
    if (rule.len >= prefixes[i].len && memcmp(rule.ptr, prefixes[i].p, prefixes[i].len) == 0)
      return 1;
  return 0;
}

static const char *verdict_name(xs_verdict v) {
  return v == XS_VERDICT_PASS ? "pass" : v == XS_VERDICT_REVIEW ? "review" : "block";
}

static const char *approval_name(xs_approval a) {
  return a == XS_APPROVAL_REVIEWER ? "reviewer" : a == XS_APPROVAL_HEAD ? "head" : "leadership";
}

static xs_str as_str(const bytes *b) {
  xs_str s = {b->present ? b->p : NULL, b->len};
  return s;
}

static void check_error(const golden_case *c, xs_status st, const xs_error *err) {
  char msg[512];
  xs_status want = strcmp(c->error_kind, "syntax") == 0    ? XS_ERR_POLICY_SYNTAX
                   : strcmp(c->error_kind, "invalid") == 0 ? XS_ERR_POLICY_INVALID
                                                           : XS_ERR_IO;
  xs_str m = xs_error_message(err);
  if (st != want) {
    snprintf(msg, sizeof msg, "status %s, expected %s (%s): %s", xs_status_name(st),
             xs_status_name(want), c->error_kind, m.ptr);
    fail(c, msg);
  }
  if (strcmp(c->error_line, "-") != 0 && xs_error_line(err) != strtoul(c->error_line, NULL, 10)) {
    snprintf(msg, sizeof msg, "error line %zu, expected %s", xs_error_line(err), c->error_line);
    fail(c, msg);
  }
  if (strcmp(c->error_column, "-") != 0 &&
      xs_error_column(err) != strtoul(c->error_column, NULL, 10)) {
    snprintf(msg, sizeof msg, "error column %zu, expected %s", xs_error_column(err),
             c->error_column);
    fail(c, msg);
  }
  if (c->error_contains.present && !contains(m.ptr, m.len, c->error_contains.p)) {
    snprintf(msg, sizeof msg, "error %s does not contain %s", m.ptr, c->error_contains.p);
    fail(c, msg);
  }
}

static void run_case(const golden_case *c) {
  char msg[1024];
  xs_screener *own = NULL;
  xs_error *err = NULL;
  const xs_screener *s = default_screener;
  if (c->policy.present) {
    xs_status st = xs_screener_new_from_toml(c->policy.p, c->policy.len, cases_dir, &own, &err);
    if (c->has_error) {
      if (st == XS_OK) fail(c, "expected a policy error, but the policy loaded");
      else check_error(c, st, err);
      xs_error_free(err);
      xs_screener_free(own);
      return;
    }
    if (st != XS_OK) {
      snprintf(msg, sizeof msg, "policy failed to load: %s", xs_error_message(err).ptr);
      fail(c, msg);
      xs_error_free(err);
      return;
    }
    s = own;
  } else if (c->has_error) {
    fail(c, "an error case without a policy");
    return;
  }

  xs_screen_options opts = {0};
  opts.title = as_str(&c->title);
  opts.source = as_str(&c->source);
  opts.repost = strcmp(c->repost, "yes") == 0  ? XS_REPOST_YES
                : strcmp(c->repost, "no") == 0 ? XS_REPOST_NO
                                               : XS_REPOST_UNKNOWN;
  opts.kind = strcmp(c->kind, "repost") == 0     ? XS_KIND_REPOST
              : strcmp(c->kind, "comment") == 0  ? XS_KIND_COMMENT
              : strcmp(c->kind, "reply") == 0    ? XS_KIND_REPLY
              : strcmp(c->kind, "response") == 0 ? XS_KIND_RESPONSE
                                                 : XS_KIND_ARTICLE;
  xs_report *r = NULL;
  xs_status st = xs_screen(s, c->input.p, c->input.len, &opts, &r, &err);
  if (st != XS_OK) {
    snprintf(msg, sizeof msg, "xs_screen: %s", xs_error_message(err).ptr);
    fail(c, msg);
    xs_error_free(err);
    xs_screener_free(own);
    return;
  }

  size_t n = xs_report_finding_count(r), k = 0;
  for (size_t i = 0; i < n; i++) {
    xs_finding f;
    if (xs_report_finding(r, i, &f) != XS_OK) {
      fail(c, "xs_report_finding failed");
      continue;
    }
    if (f.end > c->input.len || f.text.len != f.end - f.start ||
        memcmp(c->input.p + f.start, f.text.ptr, f.text.len) != 0)
      fail(c, "a finding's text does not slice the input");
    if (!c->has_findings || !has_prefix(f.rule, c->rules, c->nrules)) continue;
    if (k >= c->nfindings) {
      snprintf(msg, sizeof msg, "unexpected finding %.*s %zu..%zu", (int)f.rule.len, f.rule.ptr,
               f.start, f.end);
      fail(c, msg);
    } else {
      const expected_finding *e = &c->findings[k];
      int evasion_ok = f.evasion.ptr == NULL ? strcmp(e->evasion, "-") == 0 : str_eq(f.evasion, e->evasion);
      if (!str_eq(f.rule, e->rule) || f.start != e->start || f.end != e->end ||
          f.text.len != e->text.len || memcmp(f.text.ptr, e->text.p, e->text.len) != 0 ||
          !evasion_ok) {
        snprintf(msg, sizeof msg, "finding %zu is %.*s %zu..%zu, expected %s %zu..%zu", k,
                 (int)f.rule.len, f.rule.ptr, f.start, f.end, e->rule, e->start, e->end);
        fail(c, msg);
      }
    }
    k++;
  }
  if (c->has_findings && k < c->nfindings) {
    snprintf(msg, sizeof msg, "%zu findings, expected %zu", k, c->nfindings);
    fail(c, msg);
  }
  if (strcmp(c->verdict, "-") != 0 && strcmp(verdict_name(xs_report_verdict(r)), c->verdict) != 0) {
    snprintf(msg, sizeof msg, "verdict %s, expected %s", verdict_name(xs_report_verdict(r)),
             c->verdict);
    fail(c, msg);
  }
  if (strcmp(c->approval, "-") != 0 &&
      strcmp(approval_name(xs_report_approval(r)), c->approval) != 0) {
    snprintf(msg, sizeof msg, "approval %s, expected %s", approval_name(xs_report_approval(r)),
             c->approval);
    fail(c, msg);
  }
  if (strcmp(c->truncated, "-") != 0 && xs_report_truncated(r) != (c->truncated[0] == '1'))
    fail(c, "truncated differs");

  if (c->has_redact) {
    xs_redact_options ro = {0};
    xs_str prefixes[MAX_LIST];
    for (size_t i = 0; i < c->nredact_rules; i++) prefixes[i] = as_str(&c->redact_rules[i]);
    ro.rule_prefixes = prefixes;
    ro.rule_prefix_count = c->nredact_rules;
    if (strcmp(c->redact_kind, "replace") == 0) {
      ro.mask = XS_MASK_REPLACE;
      ro.replacement = as_str(&c->redact_replace);
    } else {
      ro.mask = strcmp(c->redact_kind, "suggest") == 0 ? XS_MASK_SUGGESTION_OR_CHAR : XS_MASK_CHAR;
      ro.mask_char = (uint32_t)c->redact_char;
    }
    char *out = NULL;
    size_t out_len = 0;
    if (xs_report_redact(r, &ro, &out, &out_len, &err) != XS_OK) {
      snprintf(msg, sizeof msg, "xs_report_redact: %s", xs_error_message(err).ptr);
      fail(c, msg);
      xs_error_free(err);
    } else if (out_len != c->redact_output.len ||
               memcmp(out, c->redact_output.p, out_len) != 0) {
      snprintf(msg, sizeof msg, "redacted %s, expected %s", out, c->redact_output.p);
      fail(c, msg);
    }
    xs_string_free(out);
  }

  xs_str json;
  if (xs_report_json(r, &json) != XS_OK || !c->json.present || json.len != c->json.len ||
      memcmp(json.ptr, c->json.p, json.len) != 0)
    fail(c, "the report JSON differs from the Rust library's");

  xs_report_free(r);
  xs_screener_free(own);
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s FIXTURE CASES_DIR\n", argv[0]);
    return 2;
  }
  cases_dir = argv[2];
  FILE *in = fopen(argv[1], "r");
  if (!in) {
    perror(argv[1]);
    return 2;
  }
  xs_error *err = NULL;
  if (xs_screener_new_default(&default_screener, &err) != XS_OK) {
    fprintf(stderr, "default screener: %s\n", xs_error_message(err).ptr);
    return 2;
  }
  int passed = 0, failed = 0;
  golden_case *c = calloc(1, sizeof *c);
  char *line = NULL;
  size_t cap = 0;
  ssize_t got;
  while ((got = getline(&line, &cap, in)) > 0) {
    if (line[got - 1] == '\n') line[got - 1] = '\0';
    char *save = NULL;
    const char *key = strtok_r(line, " ", &save);
    if (key == NULL) continue;
    const char *tok = strtok_r(NULL, " ", &save);
    if (strcmp(key, "case") == 0) copy_word(c->name, sizeof c->name, tok);
    else if (strcmp(key, "policy") == 0) c->policy = decode(tok);
    else if (strcmp(key, "input") == 0) c->input = decode(tok);
    else if (strcmp(key, "title") == 0) c->title = decode(tok);
    else if (strcmp(key, "source") == 0) c->source = decode(tok);
    else if (strcmp(key, "repost") == 0) copy_word(c->repost, sizeof c->repost, tok);
    else if (strcmp(key, "kind") == 0) copy_word(c->kind, sizeof c->kind, tok);
    else if (strcmp(key, "rules") == 0) {
      size_t n = strtoul(tok, NULL, 10);
      for (size_t i = 0; i < n && i < MAX_LIST; i++) c->rules[i] = decode(strtok_r(NULL, " ", &save));
      c->nrules = n < MAX_LIST ? n : MAX_LIST;
    } else if (strcmp(key, "verdict") == 0) copy_word(c->verdict, sizeof c->verdict, tok);
    else if (strcmp(key, "approval") == 0) copy_word(c->approval, sizeof c->approval, tok);
    else if (strcmp(key, "truncated") == 0) copy_word(c->truncated, sizeof c->truncated, tok);
    else if (strcmp(key, "findings") == 0) c->has_findings = strcmp(tok, "-") != 0;
    else if (strcmp(key, "finding") == 0 && c->nfindings < MAX_FINDINGS) {
      expected_finding *f = &c->findings[c->nfindings++];
      copy_word(f->rule, sizeof f->rule, tok);
      f->start = strtoul(strtok_r(NULL, " ", &save), NULL, 10);
      f->end = strtoul(strtok_r(NULL, " ", &save), NULL, 10);
      f->text = decode(strtok_r(NULL, " ", &save));
      copy_word(f->evasion, sizeof f->evasion, strtok_r(NULL, " ", &save));
    } else if (strcmp(key, "redact") == 0) {
      c->has_redact = 1;
      copy_word(c->redact_kind, sizeof c->redact_kind, tok);
      const char *how = strtok_r(NULL, " ", &save);
      if (strcmp(c->redact_kind, "replace") == 0) c->redact_replace = decode(how);
      else c->redact_char = strtoul(how, NULL, 10);
      c->nredact_rules = read_list(&save, c->redact_rules);
      c->redact_output = decode(strtok_r(NULL, " ", &save));
    } else if (strcmp(key, "error") == 0) {
      c->has_error = 1;
      copy_word(c->error_kind, sizeof c->error_kind, tok);
      copy_word(c->error_line, sizeof c->error_line, strtok_r(NULL, " ", &save));
      copy_word(c->error_column, sizeof c->error_column, strtok_r(NULL, " ", &save));
      c->error_contains = decode(strtok_r(NULL, " ", &save));
    } else if (strcmp(key, "json") == 0) c->json = decode(tok);
    else if (strcmp(key, "end") == 0) {
      case_failed = 0;
      run_case(c);
      if (case_failed) failed++;
      else passed++;
      free_case(c);
    }
  }
  free(line);
  free(c);
  fclose(in);
  xs_screener_free(default_screener);
  if (passed + failed == 0) {
    fprintf(stderr, "no cases in %s\n", argv[1]);
    return 1;
  }
  printf("golden: %d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
