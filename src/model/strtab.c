/* The string table: see model_int.h. */
#include "model_int.h"

#define EMPTY UINT64_MAX

static int grow_slots(vocal__strtab *t)
{
    size_t ncap = t->cap ? t->cap * 2 : 1024;
    uint64_t *ns = (uint64_t *)vocal__malloc(ncap * sizeof *ns);
    if (!ns) return VOCAL_ENOMEM;
    memset(ns, 0xFF, ncap * sizeof *ns);
    for (size_t i = 0; i < t->n; i++) {
        size_t len;
        const char *s = vocal__strtab_str(t, (uint32_t)i, &len);
        uint64_t h = vocal__hash(s, len);
        size_t j = (size_t)h & (ncap - 1);
        while (ns[j] != EMPTY) j = (j + 1) & (ncap - 1);
        ns[j] = (h >> 32) << 32 | i;
    }
    vocal__free(t->slots);
    t->slots = ns;
    t->cap = ncap;
    return VOCAL_OK;
}

int vocal__strtab_get(vocal__strtab *t, const char *s, size_t n, int add, uint32_t *id)
{
    *id = UINT32_MAX;
    if (!t->cap) {
        if (!add) return VOCAL_OK;
        if (grow_slots(t) < 0) return VOCAL_ENOMEM;
    }
    uint64_t h = vocal__hash(s, n);
    uint64_t tag = h >> 32;
    size_t j = (size_t)h & (t->cap - 1);
    for (;;) {
        uint64_t e = t->slots[j];
        if (e == EMPTY) break;
        if (e >> 32 == tag) {
            size_t len;
            const char *p = vocal__strtab_str(t, (uint32_t)e, &len);
            if (len == n && memcmp(p, s, n) == 0) {
                *id = (uint32_t)e;
                return VOCAL_OK;
            }
        }
        j = (j + 1) & (t->cap - 1);
    }
    if (!add) return VOCAL_OK;
    /* ids and offsets are u32 in the lookup tables (model_int.h) */
    if (t->n >= UINT32_MAX - 2 || t->arena.len + n + 1 > UINT32_MAX) return VOCAL_EINPUT;
    if (t->n + 2 > t->offcap) {
        size_t nc = t->offcap ? t->offcap * 2 : 1024;
        uint32_t *no = (uint32_t *)vocal__realloc(t->off, nc * sizeof *no);
        if (!no) return VOCAL_ENOMEM;
        t->off = no;
        t->offcap = nc;
        if (t->n == 0) t->off[0] = 0;
    }
    if (vocal__buf_reserve(&t->arena, n + 1) < 0) return VOCAL_ENOMEM;
    /* grow before inserting, so a failure leaves the table as it was */
    if ((t->n + 1) * 4 > t->cap * 3) {
        if (grow_slots(t) < 0) return VOCAL_ENOMEM;
        j = (size_t)h & (t->cap - 1);
        while (t->slots[j] != EMPTY) j = (j + 1) & (t->cap - 1);
    }
    memcpy(t->arena.p + t->arena.len, s, n);
    t->arena.p[t->arena.len + n] = '\0';
    t->arena.len += n + 1;
    t->slots[j] = tag << 32 | t->n;
    *id = (uint32_t)t->n;
    t->n++;
    t->off[t->n] = (uint32_t)t->arena.len;
    return VOCAL_OK;
}

void vocal__strtab_free(vocal__strtab *t)
{
    vocal__buf_free(&t->arena);
    vocal__free(t->off);
    vocal__free(t->slots);
    memset(t, 0, sizeof *t);
}
