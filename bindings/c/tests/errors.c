/* Every error path: NULL arguments, invalid UTF-8, bad enum values, bad TOML
 * with line and column, invalid values, missing policy and list files. */
#include <stdlib.h>

#include "check.h"

static const char *cases_dir;
static const char *data_dir;

static void test_null_arguments(void) {
  xs_screener *s = NULL;
  xs_report *r = NULL;
  xs_error *err = NULL;
  CHECK_STATUS(xs_screener_new_default(NULL, &err), XS_ERR_NULL_ARGUMENT, err);
  CHECK(err != NULL && xs_error_status(err) == XS_ERR_NULL_ARGUMENT);
  CHECK(xs_error_message(err).len > 0);
  xs_error_free(err);
  CHECK(xs_screener_new_default(NULL, NULL) == XS_ERR_NULL_ARGUMENT); /* no error wanted */
  CHECK(xs_screener_new_from_toml(NULL, 5, NULL, &s, NULL) == XS_ERR_NULL_ARGUMENT);
  CHECK(s == NULL);
  CHECK(xs_screener_new_from_file(NULL, &s, NULL) == XS_ERR_NULL_ARGUMENT);

  CHECK_STATUS(xs_screener_new_default(&s, &err), XS_OK, err);
  CHECK_STATUS(xs_screen(NULL, "x", 1, NULL, &r, &err), XS_ERR_NULL_ARGUMENT, err);
  CHECK(r == NULL && err != NULL);
  CHECK(contains(xs_error_message(err).ptr, xs_error_message(err).len, "screener"));
  xs_error_free(err);
  CHECK_STATUS(xs_screen(s, "x", 1, NULL, NULL, &err), XS_ERR_NULL_ARGUMENT, err);
  xs_error_free(err);
  CHECK_STATUS(xs_screen(s, NULL, 3, NULL, &r, &err), XS_ERR_NULL_ARGUMENT, err);
  xs_error_free(err);
  xs_screen_options opts = {0};
  opts.source.len = 4; /* ptr NULL, len 4 */
  CHECK_STATUS(xs_screen(s, "x", 1, &opts, &r, &err), XS_ERR_NULL_ARGUMENT, err);
  xs_error_free(err);

  /* Getters and frees on NULL: defined results, no crash. */
  CHECK(xs_report_verdict(NULL) == XS_VERDICT_BLOCK);
  CHECK(xs_report_approval(NULL) == XS_APPROVAL_LEADERSHIP);
  CHECK(xs_report_finding_count(NULL) == 0);
  CHECK(!xs_report_truncated(NULL));
  xs_finding f;
  CHECK(xs_report_finding(NULL, 0, &f) == XS_ERR_NULL_ARGUMENT);
  xs_str json;
  CHECK(xs_report_json(NULL, &json) == XS_ERR_NULL_ARGUMENT);
  char *out = NULL;
  size_t out_len = 0;
  CHECK(xs_report_redact(NULL, NULL, &out, &out_len, NULL) == XS_ERR_NULL_ARGUMENT);
  CHECK(out == NULL && out_len == 0);
  CHECK(xs_error_status(NULL) == XS_OK);
  CHECK(xs_error_message(NULL).len == 0 && xs_error_message(NULL).ptr != NULL);
  CHECK(xs_error_line(NULL) == 0 && xs_error_column(NULL) == 0);
  CHECK(xs_error_path(NULL).ptr == NULL);
  size_t off = 99;
  CHECK(!xs_error_byte_offset(NULL, &off) && off == 99);
  xs_screener_free(NULL);
  xs_report_free(NULL);
  xs_error_free(NULL);
  xs_string_free(NULL);

  CHECK_STATUS(xs_screen(s, "ok", 2, NULL, &r, &err), XS_OK, err);
  CHECK(xs_report_finding(r, 0, NULL) == XS_ERR_NULL_ARGUMENT);
  CHECK(xs_report_json(r, NULL) == XS_ERR_NULL_ARGUMENT);
  CHECK(xs_report_redact(r, NULL, NULL, &out_len, NULL) == XS_ERR_NULL_ARGUMENT);
  CHECK(xs_report_redact(r, NULL, &out, NULL, NULL) == XS_ERR_NULL_ARGUMENT);
  xs_redact_options ro = {0};
  ro.rule_prefix_count = 2; /* with a NULL array */
  CHECK_STATUS(xs_report_redact(r, &ro, &out, &out_len, &err), XS_ERR_NULL_ARGUMENT, err);
  xs_error_free(err);
  xs_report_free(r);
  xs_screener_free(s);
}

static void test_invalid_utf8_and_values(void) {
  xs_screener *s = NULL;
  xs_report *r = NULL;
  xs_error *err = NULL;
  CHECK_STATUS(xs_screener_new_default(&s, &err), XS_OK, err);

  /* "出售" then a lone continuation byte at offset 6. */
  const char bad[] = "\xe5\x87\xba\xe5\x94\xae\x80\xe5\x86\xb0";
  CHECK_STATUS(xs_screen(s, bad, sizeof bad - 1, NULL, &r, &err), XS_ERR_INVALID_UTF8, err);
  CHECK(r == NULL);
  size_t off = 0;
  CHECK(xs_error_byte_offset(err, &off) && off == 6);
  xs_str msg = xs_error_message(err);
  CHECK(contains(msg.ptr, msg.len, "byte offset 6"));
  CHECK(msg.ptr[msg.len] == '\0');
  xs_error_free(err);

  /* A truncated sequence at the end. */
  const char cut[] = "ab\xe5\x87";
  CHECK_STATUS(xs_screen(s, cut, sizeof cut - 1, NULL, &r, &err), XS_ERR_INVALID_UTF8, err);
  CHECK(xs_error_byte_offset(err, &off) && off == 2);
  xs_error_free(err);

  /* Invalid UTF-8 in the title. */
  xs_screen_options opts = {0};
  opts.title.ptr = "ti\xff";
  opts.title.len = 3;
  CHECK_STATUS(xs_screen(s, "ok", 2, &opts, &r, &err), XS_ERR_INVALID_UTF8, err);
  CHECK(xs_error_byte_offset(err, &off) && off == 2);
  msg = xs_error_message(err);
  CHECK(contains(msg.ptr, msg.len, "title"));
  xs_error_free(err);

  /* An unknown repost value. */
  opts.title.ptr = NULL;
  opts.title.len = 0;
  opts.repost = 7;
  CHECK_STATUS(xs_screen(s, "ok", 2, &opts, &r, &err), XS_ERR_INVALID_ARGUMENT, err);
  CHECK(xs_error_line(err) == 0 && !xs_error_byte_offset(err, &off));
  xs_error_free(err);

  /* An unknown kind value. */
  opts.repost = XS_REPOST_UNKNOWN;
  opts.kind = 5;
  CHECK_STATUS(xs_screen(s, "ok", 2, &opts, &r, &err), XS_ERR_INVALID_ARGUMENT, err);
  msg = xs_error_message(err);
  CHECK(contains(msg.ptr, msg.len, "kind is 5"));
  xs_error_free(err);
  opts.kind = XS_KIND_ARTICLE;

  /* Bad redaction options. */
  CHECK_STATUS(xs_screen(s, "ok", 2, NULL, &r, &err), XS_OK, err);
  xs_redact_options ro = {0};
  char *out = NULL;
  size_t out_len = 0;
  ro.mask = 9;
  CHECK_STATUS(xs_report_redact(r, &ro, &out, &out_len, &err), XS_ERR_INVALID_ARGUMENT, err);
  xs_error_free(err);
  ro.mask = XS_MASK_CHAR;
  ro.mask_char = 0xD800; /* a surrogate */
  CHECK_STATUS(xs_report_redact(r, &ro, &out, &out_len, &err), XS_ERR_INVALID_ARGUMENT, err);
  xs_error_free(err);
  ro.mask = XS_MASK_REPLACE;
  ro.mask_char = 0;
  ro.replacement.ptr = "\xc3";
  ro.replacement.len = 1;
  CHECK_STATUS(xs_report_redact(r, &ro, &out, &out_len, &err), XS_ERR_INVALID_UTF8, err);
  CHECK(out == NULL);
  xs_error_free(err);
  xs_report_free(r);

  /* Invalid UTF-8 in policy text. */
  xs_screener *p = NULL;
  const char bad_policy[] = "[meta]\nname = \"\xff\"\n";
  CHECK_STATUS(xs_screener_new_from_toml(bad_policy, sizeof bad_policy - 1, NULL, &p, &err),
               XS_ERR_INVALID_UTF8, err);
  CHECK(p == NULL && xs_error_byte_offset(err, &off) && off == 15);
  xs_error_free(err);
  xs_screener_free(s);
}

static void test_policy_errors(void) {
  xs_screener *s = NULL;
  xs_error *err = NULL;
  size_t off = 0;

  /* Unknown key: a syntax error at line 3, column 1. */
  const char unknown[] = "[meta]\nname = \"t\"\nversoin = \"1\"\n";
  CHECK_STATUS(xs_screener_new_from_toml(unknown, strlen(unknown), NULL, &s, &err),
               XS_ERR_POLICY_SYNTAX, err);
  CHECK(s == NULL);
  CHECK(xs_error_line(err) == 3 && xs_error_column(err) == 1);
  CHECK(xs_error_byte_offset(err, &off) && off == 18);
  xs_str msg = xs_error_message(err);
  CHECK(contains(msg.ptr, msg.len, "versoin"));
  CHECK(xs_error_path(err).ptr == NULL);
  xs_error_free(err);

  /* Broken TOML. */
  const char broken[] = "[meta]\nname = \"t\"\n[[lexicon]\n";
  CHECK_STATUS(xs_screener_new_from_toml(broken, strlen(broken), NULL, &s, &err),
               XS_ERR_POLICY_SYNTAX, err);
  CHECK(xs_error_line(err) == 3 && xs_error_column(err) >= 1);
  xs_error_free(err);

  /* A well-formed policy with an unacceptable value: an empty term. */
  const char empty_term[] =
      "[meta]\nname = \"t\"\n[[lexicon]]\ntag = \"x\"\nseverity = \"block\"\nterms = [\"\"]\n";
  CHECK_STATUS(xs_screener_new_from_toml(empty_term, strlen(empty_term), NULL, &s, &err),
               XS_ERR_POLICY_INVALID, err);
  CHECK(xs_error_line(err) == 6);
  xs_error_free(err);

  /* A missing list file, resolved against the base directory. */
  const char missing[] =
      "[meta]\nname = \"t\"\n[[lexicon]]\ntag = \"x\"\nseverity = \"block\"\n"
      "files = [\"lists/no_such_list.txt\"]\n";
  CHECK_STATUS(xs_screener_new_from_toml(missing, strlen(missing), cases_dir, &s, &err),
               XS_ERR_IO, err);
  CHECK(s == NULL);
  CHECK(xs_error_line(err) == 6 && xs_error_column(err) == 10);
  msg = xs_error_message(err);
  CHECK(contains(msg.ptr, msg.len, "no_such_list.txt"));
  /* The path is the file that could not be read, not the policy. */
  CHECK(contains(xs_error_path(err).ptr, xs_error_path(err).len, "lists/no_such_list.txt"));
  xs_error_free(err);

  /* The same list file exists relative to tests/cases: it loads. */
  const char present[] =
      "[meta]\nname = \"t\"\n[[lexicon]]\ntag = \"x\"\nseverity = \"block\"\n"
      "files = [\"lists/drugs.txt\"]\n";
  CHECK_STATUS(xs_screener_new_from_toml(present, strlen(present), cases_dir, &s, &err), XS_OK,
               err);
  xs_screener_free(s);
  s = NULL;

  /* A missing policy file. */
  CHECK_STATUS(xs_screener_new_from_file("/nonexistent/xianshen-policy.toml", &s, &err),
               XS_ERR_IO, err);
  msg = xs_error_message(err);
  CHECK(contains(msg.ptr, msg.len, "xianshen-policy.toml"));
  CHECK(str_eq(xs_error_path(err), "/nonexistent/xianshen-policy.toml"));
  xs_error_free(err);

  /* A policy file with an error names the file. */
  char path[4096];
  snprintf(path, sizeof path, "%s/bad_policy.toml", data_dir);
  CHECK_STATUS(xs_screener_new_from_file(path, &s, &err), XS_ERR_POLICY_SYNTAX, err);
  xs_str p = xs_error_path(err);
  CHECK(p.ptr != NULL && contains(p.ptr, p.len, "bad_policy.toml"));
  CHECK(xs_error_line(err) == 4 && xs_error_column(err) == 1);
  xs_error_free(err);

  /* An error variable that already holds NULL is simply set; XS_OK clears it. */
  err = NULL;
  CHECK_STATUS(xs_screener_new_default(&s, &err), XS_OK, err);
  CHECK(err == NULL);
  xs_screener_free(s);
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s CASES_DIR DATA_DIR\n", argv[0]);
    return 2;
  }
  cases_dir = argv[1];
  data_dir = argv[2];
  test_null_arguments();
  test_invalid_utf8_and_values();
  test_policy_errors();
  return check_summary("errors");
}
