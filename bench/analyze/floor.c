/* The floor for bench/analyze: the least work any program must do to get what
   `tandem analyze` gets from a response file, written plainly in C and built
   with -O3 -march=native, so the benchmark can say how close Tandem comes.

   It parses every cell of the CSV (header skipped; cells are non-negative
   integers up to 255, or empty for missing) and accumulates the moments the
   product's correlations come from (crates/stats/src/moments):

   - a row with every cell present adds the upper triangle of z zᵀ, with
     z = [x₁ … x_p 1]: every cross-product Σ xᵢxⱼ, the sums Σ xᵢ and the count;
   - a row with an empty cell adds the upper triangle of z zᵀ with
     z = [x₁ … x_p m₁ … m_p] (x = 0 where missing, m the 0/1 presence mask) —
     Σ xᵢxⱼ, Σ xᵢmⱼ (item i's sum where j is present) and Σ mᵢmⱼ (the pairwise
     counts) — and the full p × p matrix Σ xᵢ² mⱼ: everything a pairwise-complete
     covariance needs, and nothing more.

   Only the upper triangle is formed (the product multiplies full matrices),
   so this is a floor, not a replica. As in the product, blocks of at most 256
   rows are summed in float, which is exact for these integers (256 · 255² <
   2²⁴), then added into double totals; the totals are exact integers, so one
   thread and two give the same checksum.

   With --threads N the data are cut into N byte ranges at line ends, each
   read with pread through its own 1 MiB buffer (so peak memory stays small
   and does not count the file) by its own thread into its own totals, which
   are added at the end. --parse-only parses every cell into per-column sums
   and counts and does no cross-products (the old, plainer floor).

   It prints one JSON line (rows, rows with a missing cell, a checksum of every
   total) so the compiler cannot drop any of the work.

   Usage: floor [--parse-only] [--threads N] FILE */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_P 256
#define MAX_THREADS 64
#define BUFFER (1 << 20)
/* Rows updated together: each accumulator entry is loaded and stored once
   per ROWS rows instead of once per row, so the loop is bound by the
   multiply-adds, not by memory. */
#define ROWS 8
/* Rows summed in float before the block is added into the double totals. */
#define FLUSH_ROWS 256
#define MAX_VALUE 255

_Static_assert(FLUSH_ROWS % ROWS == 0, "a flush falls on a block boundary");
_Static_assert((double)FLUSH_ROWS * MAX_VALUE * MAX_VALUE < 16777216.0,
               "float sums of a flush block are exact");

/* The packed upper triangle of a w × w symmetric matrix: row i holds j = i … w−1. */
static size_t tri_size(int w) { return (size_t)w * (w + 1) / 2; }
static size_t tri_row(int w, int i) { return (size_t)i * w - (size_t)i * (i - 1) / 2; }

/* Adds the upper triangle of Σ_r z_r z_rᵀ over one block of ROWS rows. */
static void tri_update(float *restrict acc, const float (*restrict z)[2 * MAX_P], int w) {
    for (int i = 0; i < w; i++) {
        float a[ROWS];
        for (int r = 0; r < ROWS; r++) a[r] = z[r][i];
        float *restrict row = acc + tri_row(w, i) - i;
        for (int j = i; j < w; j++) {
            float s = row[j];
            for (int r = 0; r < ROWS; r++) s += a[r] * z[r][j];
            row[j] = s;
        }
    }
}

/* Adds Σ_r q_r m_rᵀ (p × p, row-major) over one block, q = x² and m the mask. */
static void rect_update(float *restrict acc, const float (*restrict z)[2 * MAX_P],
                        const float (*restrict q)[MAX_P], int p) {
    for (int i = 0; i < p; i++) {
        float a[ROWS];
        for (int r = 0; r < ROWS; r++) a[r] = q[r][i];
        float *restrict row = acc + (size_t)i * p;
        for (int j = 0; j < p; j++) {
            float s = row[j];
            for (int r = 0; r < ROWS; r++) s += a[r] * z[r][p + j];
            row[j] = s;
        }
    }
}

/* One kind of row (complete, or with a missing cell): the block being filled,
   its float sums since the last flush, and the double totals. */
struct moments {
    int w;          /* width of z: p + 1 or 2p */
    int rect;       /* whether it also keeps Σ xᵢ² mⱼ */
    int filled;     /* rows in the block */
    int since;      /* rows in the float sums */
    float z[ROWS][2 * MAX_P];
    float q[ROWS][MAX_P];
    float *tri, *sq;     /* float sums */
    double *tri_total, *sq_total;
};

static void *zalloc(size_t n, size_t size) {
    void *p = calloc(n, size);
    if (!p) { perror("calloc"); exit(1); }
    return p;
}

static void moments_init(struct moments *m, int w, int rect, int p) {
    memset(m, 0, sizeof *m);
    m->w = w;
    m->rect = rect;
    m->tri = zalloc(tri_size(w), sizeof(float));
    m->tri_total = zalloc(tri_size(w), sizeof(double));
    if (rect) {
        m->sq = zalloc((size_t)p * p, sizeof(float));
        m->sq_total = zalloc((size_t)p * p, sizeof(double));
    }
}

static void moments_flush(struct moments *m, int p) {
    size_t n = tri_size(m->w);
    for (size_t k = 0; k < n; k++) { m->tri_total[k] += m->tri[k]; m->tri[k] = 0; }
    if (m->rect) {
        for (size_t k = 0; k < (size_t)p * p; k++) { m->sq_total[k] += m->sq[k]; m->sq[k] = 0; }
    }
    m->since = 0;
}

/* Multiplies the block in (rows beyond `filled` are zero and add nothing). */
static void moments_block(struct moments *m, int p) {
    tri_update(m->tri, (const float (*)[2 * MAX_P])m->z, m->w);
    if (m->rect) rect_update(m->sq, (const float (*)[2 * MAX_P])m->z, (const float (*)[MAX_P])m->q, p);
    m->since += ROWS;
    m->filled = 0;
    if (m->since == FLUSH_ROWS) moments_flush(m, p);
}

static void moments_finish(struct moments *m, int p) {
    if (m->filled) {
        for (int r = m->filled; r < ROWS; r++) {
            memset(m->z[r], 0, sizeof m->z[r]);
            memset(m->q[r], 0, sizeof m->q[r]);
        }
        moments_block(m, p);
    }
    moments_flush(m, p);
}

struct job {
    const char *path;
    int fd;
    int p;
    int parse_only;
    long long start, end;
    /* results */
    long long rows, partial_rows;
    double checksum;
    const char *error;
    long long error_row;
    struct moments complete, partial;
    double col_sum[MAX_P];
    long long col_n[MAX_P];
};

/* Parses whole lines in [s, e) (e just after a '\n'); returns 0, or sets an error. */
static int parse_lines(struct job *job, const char *s, const char *e) {
    const int p = job->p;
    int values[MAX_P];
    unsigned char present[MAX_P];
    while (s < e) {
        if (*s == '\n' || *s == '\r') { s++; continue; } /* empty line: skipped, as the product does */
        int missing = 0;
        for (int c = 0; c < p; c++) {
            if (*s >= '0' && *s <= '9') {
                int v = *s++ - '0';
                while (*s >= '0' && *s <= '9') v = v * 10 + (*s++ - '0');
                if (v > MAX_VALUE) { job->error = "a value above 255"; return -1; }
                values[c] = v;
                present[c] = 1;
            } else {
                values[c] = 0;
                present[c] = 0;
                missing = 1;
            }
            char want = c + 1 < p ? ',' : '\n';
            if (*s == '\r' && want == '\n') s++;
            if (*s != want) {
                job->error = *s == ',' ? "more cells than the header"
                           : *s == '\n' || *s == '\r' ? "fewer cells than the header"
                           : "a cell that is not a whole number";
                return -1;
            }
            s++;
        }
        job->rows++;
        if (job->parse_only) {
            for (int c = 0; c < p; c++) { job->col_sum[c] += values[c]; job->col_n[c] += present[c]; }
            job->partial_rows += missing;
        } else if (!missing) {
            struct moments *m = &job->complete;
            float *z = m->z[m->filled];
            for (int c = 0; c < p; c++) z[c] = (float)values[c];
            z[p] = 1;
            if (++m->filled == ROWS) moments_block(m, p);
        } else {
            struct moments *m = &job->partial;
            float *z = m->z[m->filled], *q = m->q[m->filled];
            for (int c = 0; c < p; c++) {
                z[c] = (float)values[c];
                z[p + c] = present[c];
                q[c] = (float)(values[c] * values[c]);
            }
            job->partial_rows++;
            if (++m->filled == ROWS) moments_block(m, p);
        }
    }
    return 0;
}

static void *run(void *arg) {
    struct job *job = arg;
    if (!job->parse_only) {
        moments_init(&job->complete, job->p + 1, 0, job->p);
        moments_init(&job->partial, 2 * job->p, 1, job->p);
    }
    /* One spare byte for a '\n' after a last line that lacks one. */
    char *buf = zalloc(BUFFER + 1, 1);
    size_t carry = 0;
    long long pos = job->start;
    for (;;) {
        size_t want = BUFFER - carry;
        if ((long long)want > job->end - pos) want = (size_t)(job->end - pos);
        ssize_t got = want ? pread(job->fd, buf + carry, want, pos) : 0;
        if (got < 0) { job->error = strerror(errno); break; }
        pos += got;
        size_t have = carry + (size_t)got;
        int at_end = pos >= job->end || (got == 0 && want > 0);
        if (at_end && have && buf[have - 1] != '\n') buf[have++] = '\n'; /* a last line without a line end */
        char *last = have ? memrchr(buf, '\n', have) : NULL;
        if (have && !last) { job->error = "a line longer than 1 MiB"; break; }
        size_t used = last ? (size_t)(last - buf) + 1 : 0;
        if (parse_lines(job, buf, buf + used)) { job->error_row = job->rows + 1; break; }
        if (at_end) break;
        carry = have - used;
        memmove(buf, buf + used, carry);
    }
    free(buf);
    if (job->parse_only) {
        for (int c = 0; c < job->p; c++) job->checksum += job->col_sum[c] + job->col_n[c];
    } else {
        moments_finish(&job->complete, job->p);
        moments_finish(&job->partial, job->p);
        /* Weighted so that a total landing in the wrong slot changes the sum. */
        struct moments *ms[] = {&job->complete, &job->partial};
        for (int k = 0; k < 2; k++) {
            struct moments *m = ms[k];
            for (size_t t = 0; t < tri_size(m->w); t++) job->checksum += m->tri_total[t] * (double)(t % 7 + 1);
            if (m->rect)
                for (size_t t = 0; t < (size_t)job->p * job->p; t++) job->checksum += m->sq_total[t] * (double)(t % 5 + 1);
        }
    }
    return NULL;
}

/* The offset just after the first '\n' at or after `from`, or `end`. */
static long long next_line(int fd, long long from, long long end) {
    char buf[8192];
    while (from < end) {
        ssize_t got = pread(fd, buf, sizeof buf, from);
        if (got <= 0) break;
        char *nl = memchr(buf, '\n', (size_t)got);
        if (nl) return from + (nl - buf) + 1;
        from += got;
    }
    return end;
}

int main(int argc, char **argv) {
    int threads = 1, parse_only = 0;
    const char *path = NULL;
    for (int a = 1; a < argc; a++) {
        if (!strcmp(argv[a], "--parse-only")) parse_only = 1;
        else if (!strcmp(argv[a], "--threads") && a + 1 < argc) threads = atoi(argv[++a]);
        else if (!path && argv[a][0] != '-') path = argv[a];
        else path = NULL, a = argc;
    }
    if (!path || threads < 1 || threads > MAX_THREADS) {
        fprintf(stderr, "usage: floor [--parse-only] [--threads N] FILE\n");
        return 2;
    }
    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st)) { perror(path); return 1; }
    long long len = st.st_size;

    /* The header: its commas give the number of columns. */
    char head[65536];
    ssize_t got = pread(fd, head, sizeof head, 0);
    if (got < 0) { perror(path); return 1; }
    char *nl = memchr(head, '\n', (size_t)got);
    if (!nl) { fprintf(stderr, "%s: no header line (or one longer than 64 KiB)\n", path); return 1; }
    int p = 1;
    for (char *c = head; c < nl; c++) p += *c == ',';
    if (p > MAX_P) { fprintf(stderr, "%s: %d columns; the floor handles up to %d\n", path, p, MAX_P); return 1; }
    long long start = nl - head + 1;

    static struct job jobs[MAX_THREADS];
    long long cut = start;
    for (int t = 0; t < threads; t++) {
        long long end = t + 1 == threads ? len : next_line(fd, start + (len - start) / threads * (t + 1), len);
        if (end < cut) end = cut;
        jobs[t] = (struct job){.path = path, .fd = fd, .p = p, .parse_only = parse_only, .start = cut, .end = end};
        cut = end;
    }
    pthread_t ids[MAX_THREADS];
    for (int t = 1; t < threads; t++) {
        if (pthread_create(&ids[t], NULL, run, &jobs[t])) { perror("pthread_create"); return 1; }
    }
    run(&jobs[0]);
    for (int t = 1; t < threads; t++) pthread_join(ids[t], NULL);

    long long rows = 0, partial_rows = 0;
    double checksum = 0;
    for (int t = 0; t < threads; t++) {
        if (jobs[t].error) {
            fprintf(stderr, "%s: data row %lld of byte range %d: %s\n", path, jobs[t].error_row, t + 1, jobs[t].error);
            return 1;
        }
        rows += jobs[t].rows;
        partial_rows += jobs[t].partial_rows;
        checksum += jobs[t].checksum;
    }
    printf("{\"mode\": \"%s\", \"threads\": %d, \"items\": %d, \"rows\": %lld, \"rows_with_missing\": %lld, \"checksum\": %.0f}\n",
           parse_only ? "parse-only" : "moments", threads, p, rows, partial_rows, checksum);
    return 0;
}
