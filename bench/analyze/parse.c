/* The floor: read the CSV and parse every cell into per-column sums, nothing
   else. bench/analyze compares `tandem analyze` with this. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: parse FILE\n"); return 2; }
    FILE *f = fopen(argv[1], "rb");
    if (!f) { perror(argv[1]); return 1; }
    static char buf[1 << 20];
    long long sums[256] = {0};
    long long rows = 0;
    int col = 0, value = 0, header = 1;
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, f)) > 0) {
        for (size_t i = 0; i < got; i++) {
            char c = buf[i];
            if (header) { if (c == '\n') header = 0; continue; }
            if (c >= '0' && c <= '9') value = value * 10 + (c - '0');
            else if (c == ',') { if (col < 256) sums[col] += value; col++; value = 0; }
            else if (c == '\n') { if (col < 256) sums[col] += value; col = 0; value = 0; rows++; }
        }
    }
    fclose(f);
    long long total = 0;
    for (int i = 0; i < 256; i++) total += sums[i];
    printf("{\"rows\": %lld, \"sum\": %lld}\n", rows, total);
    return 0;
}
