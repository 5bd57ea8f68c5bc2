/* 8 pthreads share one screener: each screens many drafts and checks that
 * its reports are exactly the ones a single thread gets. */
#include <pthread.h>
#include <stdlib.h>

#include "check.h"

#define THREADS 8
#define ROUNDS 40

static const char *const DRAFTS[] = {
    "本店出售冰毒，量大从优",
    "会议要求加强内容审核。",
    "联系电话13812345678，加微信abc12345领取优惠",
    "关爱残废人，我觉得这件事太让人气愤了！",
    "本文件为机密★10年，请勿外传。",
    "",
};
#define NDRAFTS (sizeof DRAFTS / sizeof DRAFTS[0])

static const xs_screener *shared;
static char *expected_json[NDRAFTS];

/* The JSON of one screening, copied (the report is freed). */
static char *screen_json(const char *text) {
  xs_report *r = NULL;
  if (xs_screen(shared, text, strlen(text), NULL, &r, NULL) != XS_OK) return NULL;
  xs_str json;
  char *copy = NULL;
  if (xs_report_json(r, &json) == XS_OK) {
    copy = malloc(json.len + 1);
    if (copy) {
      memcpy(copy, json.ptr, json.len);
      copy[json.len] = '\0';
    }
  }
  xs_report_free(r);
  return copy;
}

static void *worker(void *arg) {
  size_t id = (size_t)arg;
  size_t mismatches = 0;
  for (size_t round = 0; round < ROUNDS; round++) {
    size_t d = (id + round) % NDRAFTS;
    char *json = screen_json(DRAFTS[d]);
    if (json == NULL || strcmp(json, expected_json[d]) != 0) mismatches++;
    free(json);
  }
  return (void *)mismatches;
}

int main(void) {
  xs_screener *s = NULL;
  xs_error *err = NULL;
  CHECK_STATUS(xs_screener_new_default(&s, &err), XS_OK, err);
  shared = s;
  for (size_t d = 0; d < NDRAFTS; d++) {
    expected_json[d] = screen_json(DRAFTS[d]);
    CHECK(expected_json[d] != NULL);
  }
  pthread_t threads[THREADS];
  for (size_t i = 0; i < THREADS; i++)
    CHECK(pthread_create(&threads[i], NULL, worker, (void *)i) == 0);
  for (size_t i = 0; i < THREADS; i++) {
    void *mismatches = NULL;
    CHECK(pthread_join(threads[i], &mismatches) == 0);
    CHECK(mismatches == NULL);
  }
  for (size_t d = 0; d < NDRAFTS; d++) free(expected_json[d]);
  xs_screener_free(s);
  return check_summary("threads");
}
