/* The bad-input matrix through the C ABI: empty text, noise only, NUL
 * bytes, invalid UTF-8 (text, title, source), a long single line, a term
 * repeated a million times (capped, truncated), bad policies (malformed,
 * noise-only term, a list file that is a folder, self-extension). Each row
 * is a clear status or a correct report. Runs under ASan/UBSan and
 * valgrind like the other C tests.
 *
 *   bad_input DATA_DIR      (bindings/c/tests/data: holds lists/ and self.toml)
 */
#include <stdlib.h>

#include "check.h"

static const char *data_dir;

static xs_report *screen_ok(const xs_screener *s, const char *text, size_t len) {
  xs_report *r = NULL;
  xs_error *err = NULL;
  CHECK_STATUS(xs_screen(s, text, len, NULL, &r, &err), XS_OK, err);
  xs_error_free(err);
  return r;
}

/* Every finding's bytes are text[start..end]. */
static void check_spans(const xs_report *r, const char *text, size_t len) {
  size_t n = xs_report_finding_count(r);
  for (size_t i = 0; i < n; i++) {
    xs_finding f;
    CHECK(xs_report_finding(r, i, &f) == XS_OK);
    CHECK(f.start <= f.end && f.end <= len);
    CHECK(f.text.len == f.end - f.start && memcmp(f.text.ptr, text + f.start, f.text.len) == 0);
  }
}

static void test_empty_noise_nul(const xs_screener *s) {
  /* Empty: NULL and a real pointer. */
  xs_report *r = screen_ok(s, NULL, 0);
  CHECK(r != NULL && xs_report_verdict(r) == XS_VERDICT_PASS && xs_report_finding_count(r) == 0);
  xs_report_free(r);
  r = screen_ok(s, "", 0);
  CHECK(r != NULL && xs_report_verdict(r) == XS_VERDICT_PASS);
  xs_report_free(r);

  const char *noise = " \t\n\xe3\x80\x80\xef\xbc\x8c\xe3\x80\x82\xe2\x98\x85\xf0\x9f\x98\x80\xe2\x80\x8b";
  r = screen_ok(s, noise, strlen(noise));
  CHECK(r != NULL && xs_report_verdict(r) == XS_VERDICT_PASS && xs_report_finding_count(r) == 0);
  xs_report_free(r);

  /* NUL bytes are text: the length says where it ends. */
  static const char nul_text[] = "\0\xe5\x87\xba\xe5\x94\xae\0\xe5\x86\xb0\xe6\xaf\x92\0"; /* 出售\0冰毒 */
  size_t len = sizeof nul_text - 1;
  r = screen_ok(s, nul_text, len);
  CHECK(r != NULL && xs_report_verdict(r) == XS_VERDICT_BLOCK);
  CHECK(xs_report_finding_count(r) >= 1);
  check_spans(r, nul_text, len);
  xs_finding f;
  CHECK(xs_report_finding(r, 0, &f) == XS_OK && f.start == 1 && f.end == len - 1);
  xs_report_free(r);
}

static void test_invalid_utf8(const xs_screener *s) {
  struct {
    const char *bytes;
    size_t len;
    size_t offset;
  } cases[] = {
      {"\xff", 1, 0},
      {"abc\xe5\x86", 5, 3},          /* cut-off sequence at the end */
      {"ok\x80", 3, 2},               /* lone continuation byte */
      {"\xc0\xaf", 2, 0},             /* overlong */
      {"\xed\xa0\x80", 3, 0},         /* encoded surrogate */
      {"x\0y\xfe", 4, 3},             /* NUL is fine, 0xFE is not */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    xs_report *r = NULL;
    xs_error *err = NULL;
    CHECK_STATUS(xs_screen(s, cases[i].bytes, cases[i].len, NULL, &r, &err), XS_ERR_INVALID_UTF8, err);
    CHECK(r == NULL && err != NULL);
    size_t offset = 999;
    CHECK(xs_error_byte_offset(err, &offset) && offset == cases[i].offset);
    CHECK(contains(xs_error_message(err).ptr, xs_error_message(err).len, "UTF-8"));
    xs_error_free(err);
  }
  /* In the metadata too. */
  xs_screen_options opts = {0};
  opts.title.ptr = "t\xff";
  opts.title.len = 2;
  xs_report *r = NULL;
  xs_error *err = NULL;
  CHECK_STATUS(xs_screen(s, "ok", 2, &opts, &r, &err), XS_ERR_INVALID_UTF8, err);
  CHECK(r == NULL && contains(xs_error_message(err).ptr, xs_error_message(err).len, "title"));
  xs_error_free(err);
  opts.title.ptr = NULL;
  opts.title.len = 0;
  opts.source.ptr = "\xe6\x96";
  opts.source.len = 2;
  CHECK_STATUS(xs_screen(s, "ok", 2, &opts, &r, &err), XS_ERR_INVALID_UTF8, err);
  CHECK(r == NULL && contains(xs_error_message(err).ptr, xs_error_message(err).len, "source"));
  xs_error_free(err);
}

static void test_size(const xs_screener *s) {
  /* A long single line: 4 MB of a sentence with a term. */
  const char *unit = "\xe4\xbc\x9a\xe8\xae\xae\xe8\xa6\x81\xe6\xb1\x82\xe5\x87\xba\xe5\x94\xae\xe5\x86\xb0\xe6\xaf\x92\xef\xbc\x8c"; /* 会议要求出售冰毒， */
  size_t unit_len = strlen(unit), count = (4u << 20) / unit_len;
  char *text = malloc(unit_len * count);
  CHECK(text != NULL);
  for (size_t i = 0; i < count; i++) memcpy(text + i * unit_len, unit, unit_len);
  xs_report *r = screen_ok(s, text, unit_len * count);
  CHECK(r != NULL && xs_report_verdict(r) == XS_VERDICT_BLOCK);
  CHECK(xs_report_truncated(r));
  CHECK(xs_report_finding_count(r) == 10000); /* the default [limits] max_findings */
  check_spans(r, text, unit_len * count);
  xs_report_free(r);
  free(text);
}

static void test_repeated_term(void) {
  /* A term repeated a million times: findings capped by the policy. */
  const char *toml =
      "[meta]\nname = \"t\"\n[[lexicon]]\ntag = \"d\"\nseverity = \"block\"\n"
      "terms = [\"\xe5\x86\xb0\xe6\xaf\x92\"]\n[limits]\nmax_findings = 100\n";
  xs_screener *s = NULL;
  xs_error *err = NULL;
  CHECK_STATUS(xs_screener_new_from_toml(toml, strlen(toml), NULL, &s, &err), XS_OK, err);
  size_t n = 1000000, len = 6 * n;
  char *text = malloc(len);
  CHECK(text != NULL);
  for (size_t i = 0; i < n; i++) memcpy(text + 6 * i, "\xe5\x86\xb0\xe6\xaf\x92", 6);
  xs_report *r = screen_ok(s, text, len);
  CHECK(r != NULL && xs_report_finding_count(r) == 100 && xs_report_truncated(r));
  CHECK(xs_report_verdict(r) == XS_VERDICT_BLOCK);
  xs_str json;
  CHECK(xs_report_json(r, &json) == XS_OK && contains(json.ptr, json.len, "\"truncated\":true"));
  xs_report_free(r);
  free(text);
  xs_screener_free(s);
}

static void expect_policy_error(const char *toml, xs_status want, const char *needle) {
  xs_screener *s = NULL;
  xs_error *err = NULL;
  CHECK_STATUS(xs_screener_new_from_toml(toml, strlen(toml), data_dir, &s, &err), want, err);
  CHECK(s == NULL && err != NULL);
  if (err != NULL) {
    xs_str m = xs_error_message(err);
    if (!contains(m.ptr, m.len, needle)) {
      fprintf(stderr, "message %.*s lacks %s\n", (int)m.len, m.ptr, needle);
      CHECK(0);
    }
  }
  xs_error_free(err);
}

static void test_bad_policies(void) {
  expect_policy_error("[meta\nname = \"x\"\n", XS_ERR_POLICY_SYNTAX, "");
  expect_policy_error(
      "[meta]\nname = \"x\"\n[[lexicon]]\ntag = \"t\"\nseverity = \"block\"\n"
      "terms = [\"\xef\xbc\x8c\xe3\x80\x82\"]\n",
      XS_ERR_POLICY_INVALID, "skipped");
  expect_policy_error(
      "[meta]\nname = \"x\"\n[[lexicon]]\ntag = \"t\"\nseverity = \"block\"\nfiles = [\"lists\"]\n",
      XS_ERR_IO, "cannot read list file");
  expect_policy_error("[meta]\nname = \"x\"\nextends = \"self_extend.toml\"\n", XS_ERR_POLICY_INVALID,
                      "extends itself");
  /* Invalid UTF-8 in the policy text. */
  xs_screener *s = NULL;
  xs_error *err = NULL;
  CHECK_STATUS(xs_screener_new_from_toml("[meta]\xff", 7, NULL, &s, &err), XS_ERR_INVALID_UTF8, err);
  size_t offset = 0;
  CHECK(xs_error_byte_offset(err, &offset) && offset == 6);
  xs_error_free(err);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: bad_input DATA_DIR\n");
    return 2;
  }
  data_dir = argv[1];
  xs_screener *s = NULL;
  xs_error *err = NULL;
  CHECK_STATUS(xs_screener_new_default(&s, &err), XS_OK, err);
  test_empty_noise_nul(s);
  test_invalid_utf8(s);
  test_size(s);
  test_repeated_term();
  test_bad_policies();
  xs_screener_free(s);
  return check_summary("bad_input");
}
