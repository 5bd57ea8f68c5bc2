/*
 * The native side of bindings/java/bench.sh: times xs_screen_json (plus
 * xs_string_free of the report JSON) on the draft Bench.java wrote, with the
 * same embedded default policy and no options, and prints the median.
 *
 *   native_bench DRAFT [RUNS] [WARMUP]
 */
#define _POSIX_C_SOURCE 199309L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xianshen.h"

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int cmp(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: native_bench DRAFT [RUNS] [WARMUP]\n");
        return 2;
    }
    int runs = argc > 2 ? atoi(argv[2]) : 10000;
    int warmup = argc > 3 ? atoi(argv[3]) : 3000;
    FILE *f = fopen(argv[1], "rb");
    if (!f) { perror(argv[1]); return 1; }
    char *text = malloc(1 << 20);
    size_t len = fread(text, 1, 1 << 20, f);
    fclose(f);

    struct xs_screener *s = NULL;
    char *err = NULL;
    if (xs_screener_new_json(NULL, &s, &err) != 0) { fprintf(stderr, "%s\n", err); return 1; }
    size_t checksum = 0;
    for (int i = 0; i < warmup; i++) {
        char *json = NULL;
        if (xs_screen_json(s, text, len, NULL, &json) != 0) { fprintf(stderr, "%s\n", json); return 1; }
        checksum += strlen(json);
        xs_string_free(json);
    }
    int64_t *ns = malloc(sizeof *ns * (size_t)runs);
    for (int i = 0; i < runs; i++) {
        char *json = NULL;
        int64_t t0 = now_ns();
        int32_t status = xs_screen_json(s, text, len, NULL, &json);
        checksum += json ? json[0] : 0;
        xs_string_free(json);
        ns[i] = now_ns() - t0;
        if (status != 0) { fprintf(stderr, "status %d\n", status); return 1; }
    }
    qsort(ns, (size_t)runs, sizeof *ns, cmp);
    printf("native runs=%d median_us=%.1f p10_us=%.1f p90_us=%.1f (checksum %zu)\n", runs,
           ns[runs / 2] / 1e3, ns[runs / 10] / 1e3, ns[runs * 9 / 10] / 1e3, checksum);
    xs_screener_free(s);
    free(ns);
    free(text);
    return 0;
}
