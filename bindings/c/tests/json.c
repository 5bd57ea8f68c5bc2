/* The JSON surface: xs_screener_new_json and xs_screen_json, success and
 * every error, with the report JSON identical to xs_report_json's. */
#include <stdlib.h>

#include "check.h"

static const char *data_dir;

static int has(const char *s, const char *part) { return s != NULL && strstr(s, part) != NULL; }

static void test_screen_and_report_json(void) {
  xs_screener *s = NULL;
  char *err = (char *)1;
  CHECK(xs_screener_new_json(NULL, &s, &err) == 0);
  CHECK(s != NULL && err == NULL);

  const char *text = "本店出售冰毒，加微信abc12345678";
  char *json = NULL;
  CHECK(xs_screen_json(s, text, strlen(text), "{\"kind\":\"comment\",\"date\":\"2026-01-05\"}", &json) ==
        0);
  CHECK(has(json, "\"schema\":\"xianshen.report/1\""));
  CHECK(has(json, "\"verdict\":\"block\""));
  CHECK(has(json, "\"date\":\"2026-01-05\""));
  CHECK(has(json, "\"utf16_start\":2"));

  /* The same bytes as xs_report_json for the same draft. */
  xs_screen_options opts = {0};
  opts.kind = XS_KIND_COMMENT;
  xs_report *r = NULL;
  xs_error *e = NULL;
  CHECK(xs_screen(s, text, strlen(text), &opts, &r, &e) == XS_OK);
  xs_str direct;
  CHECK(xs_report_json(r, &direct) == XS_OK);
  /* Today's date differs from the one asked for above: compare up to it. */
  const char *date_at = strstr(json, "\"date\":");
  size_t prefix = date_at ? (size_t)(date_at - json) : 0;
  CHECK(date_at != NULL && direct.len > prefix && memcmp(direct.ptr, json, prefix) == 0);
  xs_report_free(r);
  xs_string_free(json);

  /* Redaction: one more member at the end. */
  CHECK(xs_screen_json(s, text, strlen(text), "{\"redact\":{\"mask\":\"*\",\"rules\":[\"term.\"]}}",
                       &json) == 0);
  CHECK(has(json, "\"redacted\":\"本店****，加微信abc12345678\"}"));
  xs_string_free(json);
  CHECK(xs_screen_json(s, text, strlen(text), "{\"redact\":{\"replace\":\"[已删除]\"}}", &json) == 0);
  CHECK(has(json, "\"redacted\":\"本店[已删除]，[已删除]\"}"));
  xs_string_free(json);

  /* An HTML draft: the offer across a tag, offsets into the source. */
  const char *html = "<p>本店<b>出售</b>冰毒</p>";
  CHECK(xs_screen_json(s, html, strlen(html), "{\"input_format\":\"html\"}", &json) == 0);
  CHECK(has(json, "\"rule\":\"term.drugs\"") && has(json, "\"text\":\"出售</b>冰毒\""));
  CHECK(has(json, "\"start\":12,\"end\":28"));
  xs_string_free(json);
  CHECK(xs_screen_json(s, html, strlen(html), "{\"input_format\":\"pdf\"}", &json) ==
        XS_ERR_INVALID_ARGUMENT);
  CHECK(has(json, "pdf"));
  xs_string_free(json);
  const char *md = "# 通知\n\n本店**出售**冰毒";
  CHECK(xs_screen_json(s, md, strlen(md), "{\"input_format\":\"markdown\"}", &json) == 0);
  CHECK(has(json, "\"text\":\"出售**冰毒\""));
  xs_string_free(json);

  /* Empty text, NULL pointer with length 0. */
  CHECK(xs_screen_json(s, NULL, 0, "", &json) == 0);
  CHECK(has(json, "\"verdict\":\"pass\""));
  xs_string_free(json);
  xs_screener_free(s);
}

static void test_screen_errors(void) {
  xs_screener *s = NULL;
  CHECK(xs_screener_new_json("{}", &s, NULL) == 0);
  char *json = NULL;
  CHECK(xs_screen_json(NULL, "x", 1, NULL, &json) == XS_ERR_NULL_ARGUMENT);
  CHECK(has(json, "\"status\":\"XS_ERR_NULL_ARGUMENT\"") && has(json, "screener"));
  xs_string_free(json);
  CHECK(xs_screen_json(s, NULL, 3, NULL, &json) == XS_ERR_NULL_ARGUMENT);
  xs_string_free(json);
  CHECK(xs_screen_json(s, "ab\xff", 3, NULL, &json) == XS_ERR_INVALID_UTF8);
  CHECK(has(json, "\"byte_offset\":2") && has(json, "\"code\":3"));
  xs_string_free(json);
  CHECK(xs_screen_json(s, "x", 1, "{\"kind\":\"poem\"}", &json) == XS_ERR_INVALID_ARGUMENT);
  CHECK(has(json, "poem"));
  xs_string_free(json);
  CHECK(xs_screen_json(s, "x", 1, "{\"date\":\"2026-13-01\"}", &json) == XS_ERR_INVALID_ARGUMENT);
  CHECK(has(json, "2026-13-01"));
  xs_string_free(json);
  CHECK(xs_screen_json(s, "x", 1, "{\"colour\":1}", &json) == XS_ERR_INVALID_ARGUMENT);
  CHECK(has(json, "colour"));
  xs_string_free(json);
  CHECK(xs_screen_json(s, "x", 1, "{\"kind\":", &json) == XS_ERR_INVALID_ARGUMENT);
  CHECK(has(json, "line 1"));
  xs_string_free(json);
  CHECK(xs_screen_json(s, "x", 1, "{\"redact\":{\"mask\":\"*\",\"replace\":\"x\"}}", &json) ==
        XS_ERR_INVALID_ARGUMENT);
  xs_string_free(json);
  /* No out pointer: the status alone. */
  CHECK(xs_screen_json(s, "x", 1, "{\"kind\":\"poem\"}", NULL) == XS_ERR_INVALID_ARGUMENT);
  xs_screener_free(s);
}

static void test_screener_errors(void) {
  xs_screener *s = (xs_screener *)1;
  char *err = NULL;
  CHECK(xs_screener_new_json("{\"policy_toml\":\"[meta]\\nname = 1\\n\"}", &s, &err) ==
        XS_ERR_POLICY_SYNTAX);
  CHECK(s == NULL);
  CHECK(has(err, "\"status\":\"XS_ERR_POLICY_SYNTAX\"") && has(err, "\"line\":2"));
  xs_string_free(err);

  CHECK(xs_screener_new_json("{\"policy_file\":\"/nonexistent/policy.toml\"}", &s, &err) == XS_ERR_IO);
  CHECK(has(err, "\"path\":\"/nonexistent/policy.toml\""));
  xs_string_free(err);

  CHECK(xs_screener_new_json("{\"policy_toml\":\"x\",\"policy_file\":\"y\"}", &s, &err) ==
        XS_ERR_INVALID_ARGUMENT);
  xs_string_free(err);
  CHECK(xs_screener_new_json("[1]", &s, &err) == XS_ERR_INVALID_ARGUMENT);
  xs_string_free(err);
  CHECK(xs_screener_new_json("{}", NULL, &err) == XS_ERR_NULL_ARGUMENT);
  CHECK(has(err, "screener"));
  xs_string_free(err);

  /* A policy file with list files next to it. */
  char config[4096];
  snprintf(config, sizeof config, "{\"policy_file\":\"%s/policy.toml\"}", data_dir);
  CHECK(xs_screener_new_json(config, &s, &err) == 0);
  CHECK(err == NULL);
  xs_screener_free(s);
}

static void test_encodings(void) {
  xs_screener *s = NULL;
  CHECK(xs_screener_new_json(NULL, &s, NULL) == 0);
  char *json = NULL;
  /* GBK bytes: decoded, start/end into the UTF-8 text, chars index the draft. */
  const char gbk[] = "\xb1\xbe\xb5\xea\xb3\xf6\xca\xdb\xb1\xf9\xb6\xbe";
  CHECK(xs_screen_json(s, gbk, sizeof gbk - 1, "{\"encoding\":\"gbk\"}", &json) == 0);
  CHECK(has(json, "\"verdict\":\"block\"") && has(json, "\"text\":\"出售冰毒\""));
  CHECK(has(json, "\"start\":6,\"end\":18,\"char_start\":2,\"char_end\":6"));
  CHECK(has(json, ",\"encoding\":\"gb18030\"}"));
  xs_string_free(json);
  /* Detected, and with HTML markup: offsets into the decoded source. */
  const char gbk_html[] = "<p>\xb1\xbe\xb5\xea<b>\xb3\xf6\xca\xdb</b>\xb1\xf9\xb6\xbe</p>";
  CHECK(xs_screen_json(s, gbk_html, sizeof gbk_html - 1,
                       "{\"encoding\":\"auto\",\"input_format\":\"html\"}", &json) == 0);
  CHECK(has(json, "\"text\":\"出售</b>冰毒\"") && has(json, "\"encoding\":\"gb18030\""));
  xs_string_free(json);
  /* UTF-16LE with its BOM. */
  const char utf16[] = "\xff\xfe\x2c\x67\x97\x5e\xfa\x51\x2e\x55\xb0\x51\xd2\x6b";
  CHECK(xs_screen_json(s, utf16, sizeof utf16 - 1, "{\"encoding\":\"utf-16\"}", &json) == 0);
  CHECK(has(json, "\"text\":\"出售冰毒\"") && has(json, "\"encoding\":\"utf-16le\""));
  xs_string_free(json);
  /* A byte GB18030 cannot decode: an error naming its offset, or U+FFFD when lossy. */
  const char bad[] = "\xb1\xbe\xff";
  CHECK(xs_screen_json(s, bad, sizeof bad - 1, "{\"encoding\":\"gb18030\"}", &json) ==
        XS_ERR_INVALID_ARGUMENT);
  CHECK(has(json, "\"byte_offset\":2"));
  xs_string_free(json);
  CHECK(xs_screen_json(s, bad, sizeof bad - 1, "{\"encoding\":\"gb18030\",\"lossy\":true}", &json) == 0);
  CHECK(has(json, "\"verdict\":\"pass\""));
  xs_string_free(json);
  CHECK(xs_screen_json(s, gbk, sizeof gbk - 1, "{\"encoding\":\"latin1\"}", &json) ==
        XS_ERR_INVALID_ARGUMENT);
  CHECK(has(json, "latin1"));
  xs_string_free(json);
  CHECK(xs_screen_json(s, gbk, sizeof gbk - 1, "{\"lossy\":true}", &json) == XS_ERR_INVALID_ARGUMENT);
  xs_string_free(json);
  xs_screener_free(s);
}

/* xs_utf16_from_utf8: a report JSON as UTF-16 code units, the capacity
 * protocol (too small: nothing written, minus the capacity needed), astral
 * chars as surrogate pairs, invalid UTF-8 as U+FFFD, NULLs. */
static void test_utf16(void) {
  xs_screener *s = NULL;
  CHECK(xs_screener_new_json(NULL, &s, NULL) == 0);
  const char *text = "😀本店出售冰毒";
  char *json = NULL;
  CHECK(xs_screen_json(s, text, strlen(text), NULL, &json) == 0);
  size_t len = strlen(json);
  CHECK(xs_utf16_from_utf8(json, NULL, 0) == -(int64_t)(len + 1));
  uint16_t small[4] = {0x1111, 0x1111, 0x1111, 0x1111};
  CHECK(xs_utf16_from_utf8(json, small, 4) == -(int64_t)(len + 1));
  CHECK(small[0] == 0x1111);
  uint16_t *units = malloc((len + 1) * sizeof *units);
  int64_t n = xs_utf16_from_utf8(json, units, len + 1);
  /* The JSON holds Chinese (the finding's text and message): 3 bytes, 1
   * unit each, so fewer units than bytes. */
  CHECK(n > 0 && (size_t)n < len);
  CHECK(units[0] == '{' && units[n - 1] == '}');
  int found = 0;
  for (int64_t i = 0; i + 3 < n; i++) {
    if (units[i] == 0x51FA && units[i + 1] == 0x552E && units[i + 2] == 0x51B0 && units[i + 3] == 0x6BD2) found++;
  }
  CHECK(found >= 1); /* 出售冰毒 */
  free(units);
  xs_string_free(json);

  uint16_t out[16];
  CHECK(xs_utf16_from_utf8("a\xF0\x9F\x98\x80", out, 16) == 3);
  CHECK(out[0] == 'a' && out[1] == 0xD83D && out[2] == 0xDE00);
  CHECK(xs_utf16_from_utf8("a\xff" "b", out, 16) == 3);
  CHECK(out[0] == 'a' && out[1] == 0xFFFD && out[2] == 'b');
  CHECK(xs_utf16_from_utf8("", out, 1) == 0);
  CHECK(xs_utf16_from_utf8("", out, 0) == -1);
  CHECK(xs_utf16_from_utf8(NULL, out, 16) == 0);
  xs_screener_free(s);
}

/* The UTF-16 of NUL-terminated UTF-8 `s` in a new array; its length in *n. */
static uint16_t *utf16_of(const char *s, size_t *n) {
  size_t cap = strlen(s) + 1;
  uint16_t *units = malloc(cap * sizeof *units);
  CHECK(units != NULL);
  int64_t got = xs_utf16_from_utf8(s, units, cap);
  CHECK(got >= 0);
  *n = (size_t)got;
  return units;
}

static void test_screen_utf16(void) {
  xs_screener *s = NULL;
  CHECK(xs_screener_new_json(NULL, &s, NULL) == 0);
  /* Astral chars before, inside and after hits; markup; options. */
  static const struct {
    const char *text;
    const char *options;
  } cases[] = {
      {"😀本店出售冰毒", NULL},
      {"", NULL},
      {"𠀀出售冰毒𠀀，联系13800138000😀", "{\"kind\":\"comment\"}"},
      {"<p>本店<b>出售</b>冰毒 &amp; 𠀀</p>", "{\"input_format\":\"html\"}"},
      {"# 标题\n\n本店出售冰毒，加微信 abc123", "{\"input_format\":\"markdown\",\"title\":\"出售冰毒\"}"},
      {"本店出售冰毒😀，电话13800138000", "{\"redact\":{\"mask\":\"*\"}}"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char *want = NULL;
    char *got = NULL;
    size_t n = 0;
    uint16_t *units = utf16_of(cases[i].text, &n);
    CHECK(xs_screen_json(s, cases[i].text, strlen(cases[i].text), cases[i].options, &want) == 0);
    CHECK(xs_screen_json_utf16(s, units, n, cases[i].options, &got) == 0);
    CHECK(strcmp(want, got) == 0); /* the same report, byte for byte */
    xs_string_free(want);
    xs_string_free(got);
    free(units);
  }

  char *json = NULL;
  const uint16_t lone[] = {'a', 0xD800, 'b'};
  CHECK(xs_screen_json_utf16(s, lone, 3, NULL, &json) == XS_ERR_INVALID_UTF8);
  CHECK(strstr(json, "lone surrogate U+D800 at UTF-16 index 1") != NULL);
  CHECK(strstr(json, "\"byte_offset\":2") != NULL);
  xs_string_free(json);
  const uint16_t low_first[] = {0xDE00, 0xD83D};
  CHECK(xs_screen_json_utf16(s, low_first, 2, NULL, &json) == XS_ERR_INVALID_UTF8);
  CHECK(strstr(json, "U+DE00 at UTF-16 index 0") != NULL);
  xs_string_free(json);
  const uint16_t ok[] = {'a'};
  CHECK(xs_screen_json_utf16(s, ok, 1, "{\"encoding\":\"utf-16\"}", &json) == XS_ERR_INVALID_ARGUMENT);
  CHECK(strstr(json, "takes UTF-16") != NULL);
  xs_string_free(json);
  CHECK(xs_screen_json_utf16(s, ok, 1, "{\"kind\":\"nope\"}", &json) == XS_ERR_INVALID_ARGUMENT);
  xs_string_free(json);
  uint16_t aligned[3] = {'a', 'b', 'c'};
  const uint16_t *odd = (const uint16_t *)((const char *)aligned + 1);
  CHECK(xs_screen_json_utf16(s, odd, 2, NULL, &json) == XS_ERR_INVALID_ARGUMENT);
  CHECK(strstr(json, "not aligned") != NULL);
  xs_string_free(json);
  CHECK(xs_screen_json_utf16(s, NULL, 0, NULL, &json) == 0);
  CHECK(strstr(json, "\"verdict\":\"pass\"") != NULL);
  xs_string_free(json);
  CHECK(xs_screen_json_utf16(s, NULL, 3, NULL, &json) == XS_ERR_NULL_ARGUMENT);
  xs_string_free(json);
  CHECK(xs_screen_json_utf16(NULL, ok, 1, NULL, &json) == XS_ERR_NULL_ARGUMENT);
  xs_string_free(json);
  CHECK(xs_screen_json_utf16(s, ok, 1, NULL, NULL) == 0); /* no out: nothing handed out */
  xs_screener_free(s);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s DATA_DIR\n", argv[0]);
    return 2;
  }
  data_dir = argv[1];
  test_screen_and_report_json();
  test_screen_errors();
  test_screener_errors();
  test_encodings();
  test_utf16();
  test_screen_utf16();
  return check_summary("json");
}
