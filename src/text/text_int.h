/* Internal to libvocal: what other modules may use of the text module.
 * Never installed. */
#ifndef VOCAL_TEXT_INT_H
#define VOCAL_TEXT_INT_H

#include "vocal/text.h"

/* Scratch buffers that other modules keep in a workspace, one per slot, so
 * that scoring allocates nothing per text once warm (STYLE.md: per-thread
 * scratch lives in the workspace). */
enum {
    VOCAL__SLOT_TOKSCORE = 0,
    VOCAL__SLOT_CONTRIB = 1,
    VOCAL__SLOT_CLAUSE = 2,
    VOCAL__SLOT_FEATURES = 3,
    VOCAL__SLOT_THEMES = 4,
    VOCAL__SLOT_SPARE1 = 5,
    VOCAL__SLOT_SPARE2 = 6,
    VOCAL__SLOT_SPARE3 = 7,
    VOCAL__NSLOTS = 8
};

/* A buffer of at least `bytes` for `slot`, valid until the next call for the
 * same slot or the workspace's free; NULL when out of memory. The contents
 * are not preserved across growth. */
void *vocal__ws_buf(vocal_workspace *ws, int slot, size_t bytes);

#endif
