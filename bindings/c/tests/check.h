/* A tiny test harness shared by the C tests: CHECK counts, prints what
 * failed with file and line, and check_summary prints "N passed, N failed". */
#ifndef XS_TEST_CHECK_H
#define XS_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

#include "xianshen.h"

static int checks_passed = 0;
static int checks_failed = 0;

#define CHECK(cond)                                                          \
  do {                                                                       \
    if (cond) {                                                              \
      checks_passed++;                                                       \
    } else {                                                                 \
      checks_failed++;                                                       \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                        \
  } while (0)

/* A status check that also prints the error's message. */
#define CHECK_STATUS(call, want, err)                                        \
  do {                                                                       \
    xs_status got_ = (call);                                                 \
    if (got_ == (xs_status)(want)) {                                         \
      checks_passed++;                                                       \
    } else {                                                                 \
      checks_failed++;                                                       \
      fprintf(stderr, "%s:%d: %s returned %s, expected %s: %s\n", __FILE__,  \
              __LINE__, #call, xs_status_name(got_), xs_status_name(want),   \
              xs_error_message(err).ptr);                                    \
    }                                                                        \
  } while (0)

/* Whether a borrowed xs_str equals a NUL-terminated C string. */
static inline int str_eq(xs_str s, const char *want) {
  size_t n = strlen(want);
  return s.ptr != NULL && s.len == n && memcmp(s.ptr, want, n) == 0;
}

/* Whether `needle` occurs in the first `len` bytes of `hay`. */
static inline int contains(const char *hay, size_t len, const char *needle) {
  size_t n = strlen(needle);
  if (n == 0) return 1;
  for (size_t i = 0; i + n <= len; i++)
    if (memcmp(hay + i, needle, n) == 0) return 1;
  return 0;
}

static inline int check_summary(const char *name) {
  printf("%s: %d passed, %d failed\n", name, checks_passed, checks_failed);
  return checks_failed == 0 ? 0 : 1;
}

#endif
