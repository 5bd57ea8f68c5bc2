/* Vectorscan (Hyperscan's portable fork, Debian's libvectorscan-dev) as a
 * peer in the compare harness: every term of a lexicon as a literal, block
 * mode, all matches (overlapping), no folding.
 *
 *   literals TERMS_FILE CORPUS_FILE
 *
 * TERMS_FILE: one term a line (UTF-8); CORPUS_FILE: the text. Prints
 * "build_ms=… search_ms=… matches=…", the search the best of 3. Build-time
 * dependency of the benchmark only, never of the library. */
#include <hs/hs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) { perror(path); exit(2); }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) { fprintf(stderr, "%s: read failed\n", path); exit(2); }
  buf[n] = 0;
  fclose(f);
  *len = (size_t)n;
  return buf;
}

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int on_match(unsigned int id, unsigned long long from, unsigned long long to,
                    unsigned int flags, void *ctx) {
  (void)id; (void)from; (void)to; (void)flags;
  ++*(unsigned long long *)ctx;
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 3) { fprintf(stderr, "usage: literals TERMS_FILE CORPUS_FILE\n"); return 2; }
  size_t terms_len, corpus_len;
  char *terms = slurp(argv[1], &terms_len);
  char *corpus = slurp(argv[2], &corpus_len);
  unsigned n = 0;
  for (size_t i = 0; i < terms_len; i++) n += terms[i] == '\n';
  const char **exprs = malloc(sizeof *exprs * (n + 1));
  size_t *lens = malloc(sizeof *lens * (n + 1));
  unsigned *flags = malloc(sizeof *flags * (n + 1));
  unsigned *ids = malloc(sizeof *ids * (n + 1));
  unsigned count = 0;
  for (char *line = terms; line < terms + terms_len;) {
    char *end = memchr(line, '\n', (size_t)(terms + terms_len - line));
    if (!end) end = terms + terms_len;
    if (end > line) {
      exprs[count] = line; lens[count] = (size_t)(end - line);
      flags[count] = 0; ids[count] = count; count++;
    }
    line = end + 1;
  }
  hs_database_t *db = NULL;
  hs_compile_error_t *err = NULL;
  double t0 = now_ms();
  if (hs_compile_lit_multi(exprs, flags, ids, lens, count, HS_MODE_BLOCK, NULL, &db, &err) != HS_SUCCESS) {
    fprintf(stderr, "compile failed: %s\n", err ? err->message : "?");
    return 1;
  }
  double build = now_ms() - t0;
  hs_scratch_t *scratch = NULL;
  if (hs_alloc_scratch(db, &scratch) != HS_SUCCESS) { fprintf(stderr, "scratch failed\n"); return 1; }
  double best = 1e30;
  unsigned long long matches = 0;
  for (int r = 0; r < 3; r++) {
    matches = 0;
    t0 = now_ms();
    if (hs_scan(db, corpus, (unsigned)corpus_len, 0, scratch, on_match, &matches) != HS_SUCCESS) {
      fprintf(stderr, "scan failed\n");
      return 1;
    }
    double t = now_ms() - t0;
    if (t < best) best = t;
  }
  printf("build_ms=%.1f search_ms=%.1f matches=%llu\n", build, best, matches);
  hs_free_scratch(scratch);
  hs_free_database(db);
  return 0;
}
