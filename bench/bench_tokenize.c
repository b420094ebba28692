/* Tokenizer throughput, single thread: reads a file of one text per line
 * into memory, tokenizes every line and prints MB/s and tokens/s.
 *   bench_tokenize FILE [--no-stem] [--repeat N] */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vocal/vocal.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_tokenize FILE [--no-stem] [--repeat N]\n");
        return 1;
    }
    vocal_text_options o = VOCAL_TEXT_OPTIONS_INIT;
    int repeat = 1;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--no-stem")) o.flags |= VOCAL_TEXT_NO_STEM;
        else if (!strcmp(argv[i], "--repeat") && i + 1 < argc) repeat = atoi(argv[++i]);
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)size + 1);
    if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size) {
        fprintf(stderr, "cannot read %s\n", argv[1]);
        return 1;
    }
    fclose(f);
    vocal_tokenizer *tk;
    vocal_workspace *ws;
    if (vocal_tokenizer_new(&tk, &o, NULL) || vocal_workspace_new(&ws, tk, NULL)) return 1;
    uint64_t tokens = 0, lines = 0;
    double t0 = now();
    for (int r = 0; r < repeat; r++) {
        char *p = buf, *end = buf + size;
        while (p < end) {
            char *nl = memchr(p, '\n', (size_t)(end - p));
            size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
            const vocal_token *t;
            int n = vocal_text_tokenize(&t, NULL, ws, p, len, NULL);
            if (n < 0) return 2;
            tokens += (uint64_t)n;
            lines++;
            p += len + 1;
        }
    }
    double dt = now() - t0;
    double mb = (double)size * repeat / 1e6;
    printf("vocal tokenize%s\t%.1f MB\t%llu lines\t%llu tokens\t%.2f s\t%.1f MB/s\t%.2f M tokens/s\n",
           (o.flags & VOCAL_TEXT_NO_STEM) ? " (no stem)" : " (stem)", mb, (unsigned long long)lines,
           (unsigned long long)tokens, dt, mb / dt, (double)tokens / dt / 1e6);
    vocal_workspace_free(ws);
    vocal_tokenizer_free(tk);
    free(buf);
    return 0;
}
