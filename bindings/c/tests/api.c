/* The main path of the C API: build, screen, read findings, JSON, redact. */
#include <stdlib.h>

#include "check.h"

static const char DRUGS_POLICY[] =
    "[meta]\nname = \"t\"\nversion = \"1\"\n"
    "[[lexicon]]\ntag = \"drugs\"\nseverity = \"block\"\napproval = \"head\"\n"
    "terms = [\"出售冰毒\"]\n"
    "[style]\nsubstitutions = { \"残废人\" = \"残疾人\" }\n";

static void test_version(void) {
  const char *v = xs_version();
  CHECK(v != NULL && strlen(v) > 0);
  CHECK(strcmp(xs_status_name(XS_ERR_INVALID_UTF8), "XS_ERR_INVALID_UTF8") == 0);
  CHECK(strcmp(xs_status_name(12345), "XS_UNKNOWN_STATUS") == 0);
}

static void test_default_policy(void) {
  xs_screener *s = NULL;
  xs_error *err = NULL;
  CHECK_STATUS(xs_screener_new_default(&s, &err), XS_OK, err);
  CHECK(s != NULL && err == NULL);

  /* Noise between the characters: the span covers it, exactly. */
  const char text[] = "本店出 售 冰 毒，量大从优";
  xs_report *r = NULL;
  CHECK_STATUS(xs_screen(s, text, strlen(text), NULL, &r, &err), XS_OK, err);
  CHECK(r != NULL);
  CHECK(xs_report_verdict(r) == XS_VERDICT_BLOCK);
  CHECK(xs_report_approval(r) >= XS_APPROVAL_REVIEWER);
  CHECK(!xs_report_truncated(r));
  size_t n = xs_report_finding_count(r);
  CHECK(n >= 1);
  int saw_term = 0;
  for (size_t i = 0; i < n; i++) {
    xs_finding f;
    CHECK(xs_report_finding(r, i, &f) == XS_OK);
    CHECK(f.end > f.start && f.end <= strlen(text));
    /* The finding's text is exactly the input's bytes at start..end. */
    CHECK(f.text.len == f.end - f.start && memcmp(text + f.start, f.text.ptr, f.text.len) == 0);
    CHECK(f.char_end > f.char_start && f.line == 1 && f.column == f.char_start + 1);
    CHECK(f.message.ptr != NULL && f.message.len > 0);
    if (str_eq(f.rule, "term.drugs")) {
      saw_term = 1;
      CHECK(str_eq(f.category, "term"));
      CHECK(f.severity == XS_SEVERITY_BLOCK);
      CHECK(f.start == 6 && f.end == 21);
      CHECK(f.char_start == 2 && f.char_end == 9 && f.column == 3);
      CHECK(str_eq(f.text, "出 售 冰 毒"));
      CHECK(f.term.ptr != NULL && f.term.len > 0);
      CHECK(f.suggestion.ptr == NULL && f.suggestion.len == 0);
    }
  }
  CHECK(saw_term);
  xs_finding past;
  CHECK(xs_report_finding(r, n, &past) == XS_ERR_OUT_OF_RANGE);

  xs_str json = {0};
  CHECK(xs_report_json(r, &json) == XS_OK);
  CHECK(json.len > 0 && json.ptr[json.len] == '\0');
  CHECK(contains(json.ptr, json.len, "\"schema\":\"xianshen.report/1\""));
  CHECK(contains(json.ptr, json.len, "\"verdict\":\"block\""));
  xs_str again = {0};
  CHECK(xs_report_json(r, &again) == XS_OK && again.ptr == json.ptr); /* built once */

  char *red = NULL;
  size_t red_len = 0;
  CHECK_STATUS(xs_report_redact(r, NULL, &red, &red_len, &err), XS_OK, err);
  CHECK(red != NULL && red[red_len] == '\0');
  CHECK(strncmp(red, "本店*******", strlen("本店*******")) == 0);
  xs_string_free(red);

  xs_report_free(r);
  xs_screener_free(s);
}

static void test_options_and_policy(void) {
  xs_screener *s = NULL;
  xs_error *err = NULL;
  CHECK_STATUS(xs_screener_new_from_toml(DRUGS_POLICY, strlen(DRUGS_POLICY), NULL, &s, &err),
               XS_OK, err);

  /* A repost without a source must be blocked (attribution.missing). */
  const char text[] = "会议要求加强内容审核。";
  xs_screen_options opts = {0};
  opts.repost = XS_REPOST_YES;
  xs_report *r = NULL;
  CHECK_STATUS(xs_screen(s, text, strlen(text), &opts, &r, &err), XS_OK, err);
  CHECK(xs_report_verdict(r) == XS_VERDICT_BLOCK);
  xs_str json;
  CHECK(xs_report_json(r, &json) == XS_OK && contains(json.ptr, json.len, "attribution.missing"));
  xs_report_free(r);

  /* Declared as original: nothing to report. */
  opts.repost = XS_REPOST_NO;
  opts.title.ptr = "通知";
  opts.title.len = strlen("通知");
  CHECK_STATUS(xs_screen(s, text, strlen(text), &opts, &r, &err), XS_OK, err);
  CHECK(xs_report_verdict(r) == XS_VERDICT_PASS);
  CHECK(xs_report_approval(r) == XS_APPROVAL_REVIEWER);
  CHECK(xs_report_finding_count(r) == 0);
  xs_report_free(r);

  /* The title is screened as a field of its own, offsets into it. */
  {
    xs_screen_options titled = {0};
    titled.title.ptr = "本店出售冰毒";
    titled.title.len = strlen("本店出售冰毒");
    CHECK_STATUS(xs_screen(s, text, strlen(text), &titled, &r, &err), XS_OK, err);
    CHECK(xs_report_verdict(r) == XS_VERDICT_BLOCK && xs_report_approval(r) == XS_APPROVAL_HEAD);
    CHECK(xs_report_finding_count(r) == 0 && xs_report_title_finding_count(r) == 1);
    xs_finding f;
    CHECK(xs_report_title_finding(r, 0, &f) == XS_OK);
    CHECK(str_eq(f.rule, "term.drugs") && str_eq(f.text, "出售冰毒") && f.start == 6 && f.end == 18);
    CHECK(f.char_start == 2 && f.utf16_start == 2 && f.utf16_end == 6);

    CHECK(xs_report_title_finding(r, 1, &f) == XS_ERR_OUT_OF_RANGE);
    CHECK(xs_report_title_finding(NULL, 0, &f) == XS_ERR_NULL_ARGUMENT);
    CHECK(xs_report_title_finding_count(NULL) == 0);
    CHECK(xs_report_json(r, &json) == XS_OK && contains(json.ptr, json.len, "\"title_findings\""));
    xs_report_free(r);
    /* UTF-16 offsets: an astral char before counts two units, one char. */
    const char astral[] = "\xF0\x9F\x98\x80出售冰毒"; /* 😀出售冰毒 */
    CHECK_STATUS(xs_screen(s, astral, strlen(astral), NULL, &r, &err), XS_OK, err);
    CHECK(xs_report_finding(r, 0, &f) == XS_OK);
    CHECK(f.start == 4 && f.char_start == 1 && f.utf16_start == 2 && f.utf16_end == 6);
    xs_report_free(r);
  }

  /* A comment from the public: pinyin spellings count, and say so. */
  {
    const char evasive[] = "出售bingdu";
    xs_screen_options comment = {0};
    comment.kind = XS_KIND_COMMENT;
    CHECK_STATUS(xs_screen(s, evasive, strlen(evasive), &comment, &r, &err), XS_OK, err);
    CHECK(xs_report_verdict(r) == XS_VERDICT_BLOCK && xs_report_finding_count(r) == 1);
    xs_finding f;
    CHECK(xs_report_finding(r, 0, &f) == XS_OK);
    CHECK(str_eq(f.evasion, "pinyin") && str_eq(f.text, "出售bingdu"));
    xs_report_free(r);
    /* The same text as an article: drafts keep precision-first matching. */
    CHECK_STATUS(xs_screen(s, evasive, strlen(evasive), NULL, &r, &err), XS_OK, err);
    CHECK(xs_report_finding_count(r) == 0);
    xs_report_free(r);
    /* A term as written has no evasion. */
    CHECK_STATUS(xs_screen(s, "出售冰毒", strlen("出售冰毒"), &comment, &r, &err), XS_OK, err);
    CHECK(xs_report_finding(r, 0, &f) == XS_OK && f.evasion.ptr == NULL && f.evasion.len == 0);
    xs_report_free(r);
  }

  /* Empty text, NULL pointer: allowed. */
  CHECK_STATUS(xs_screen(s, NULL, 0, NULL, &r, &err), XS_OK, err);
  CHECK(xs_report_verdict(r) == XS_VERDICT_PASS && xs_report_finding_count(r) == 0);
  xs_report_free(r);

  /* Style finding: suggestion, severity info, redaction by suggestion and by prefix. */
  const char style[] = "关爱残废人，出售冰毒";
  CHECK_STATUS(xs_screen(s, style, strlen(style), NULL, &r, &err), XS_OK, err);
  CHECK(xs_report_finding_count(r) == 2);
  xs_finding f;
  CHECK(xs_report_finding(r, 0, &f) == XS_OK);
  CHECK(str_eq(f.rule, "style.term") && f.severity == XS_SEVERITY_INFO);
  CHECK(str_eq(f.suggestion, "残疾人") && f.term.ptr == NULL);
  CHECK(f.approval == XS_APPROVAL_NONE);
  CHECK(xs_report_finding(r, 1, &f) == XS_OK);
  CHECK(str_eq(f.rule, "term.drugs") && f.approval == XS_APPROVAL_HEAD);
  CHECK(str_eq(f.term, "出售冰毒"));
  CHECK(xs_report_approval(r) == XS_APPROVAL_HEAD);

  xs_redact_options ro = {0};
  ro.mask = XS_MASK_SUGGESTION_OR_CHAR;
  ro.mask_char = 0x25A0; /* ■ */
  char *red = NULL;
  size_t red_len = 0;
  CHECK_STATUS(xs_report_redact(r, &ro, &red, &red_len, &err), XS_OK, err);
  CHECK(red_len == strlen("关爱残疾人，■■■■") && strcmp(red, "关爱残疾人，■■■■") == 0);
  xs_string_free(red);

  xs_str prefix = {"term.", 5};
  ro.mask = XS_MASK_REPLACE;
  ro.replacement.ptr = "[已删除]";
  ro.replacement.len = strlen("[已删除]");
  ro.rule_prefixes = &prefix;
  ro.rule_prefix_count = 1;
  CHECK_STATUS(xs_report_redact(r, &ro, &red, &red_len, &err), XS_OK, err);
  CHECK(red != NULL && strcmp(red, "关爱残废人，[已删除]") == 0);
  free(red); /* malloc'ed: free works too */
  xs_report_free(r);
  xs_screener_free(s);
}

static void test_from_file(const char *policy_path) {
  xs_screener *s = NULL;
  xs_error *err = NULL;
  CHECK_STATUS(xs_screener_new_from_file(policy_path, &s, &err), XS_OK, err);
  const char text[] = "正文";
  xs_report *r = NULL;
  CHECK_STATUS(xs_screen(s, text, strlen(text), NULL, &r, &err), XS_OK, err);
  xs_str json;
  CHECK(xs_report_json(r, &json) == XS_OK && contains(json.ptr, json.len, "\"fingerprint\":\"sha256:"));
  xs_report_free(r);
  xs_screener_free(s);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s POLICY_FILE\n", argv[0]);
    return 2;
  }
  test_version();
  test_default_policy();
  test_options_and_policy();
  test_from_file(argv[1]);
  return check_summary("api");
}
