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

/* MARK: word memos
 * Tokenizing files every word-like token's normalized form in the
 * workspace's word cache under a word id. Modules that look words up
 * (lexicon entries, model features, theme keys) keep what they found per
 * word id in a memo, and look each distinct word up once instead of once
 * per occurrence. The cache is emptied only between texts (then every memo
 * is stale and starts again empty), so ids are stable while a text's
 * tokens are in use. */
enum { VOCAL__MEMO_LEXICON = 0, VOCAL__MEMO_THEME_MODEL = 1, VOCAL__MEMO_TAGGER = 2, VOCAL__MEMO_MODEL = 3,
       VOCAL__NMEMO = 4 };

/* The word id of each of t's tokens (UINT32_MAX for tokens that are not
 * cached words), when t is the result of ws's last vocal_text_tokenize and
 * nothing has emptied the cache since; NULL otherwise (look words up). */
const uint32_t *vocal__ws_words(const vocal_workspace *ws, const vocal_token *t);

/* Memo `kind` of ws: records of `rec` bytes indexed by word id, covering
 * every id handed out so far, all-zero for words not yet memoized. `owner`
 * is the memoizing object's vocal__serial(): another owner (or record size)
 * empties the memo. NULL when out of memory. The pointer is valid until the
 * next tokenize or memo call on ws. */
void *vocal__ws_memo(vocal_workspace *ws, int kind, uint64_t owner, size_t rec);

/* A process-unique, never-zero number for memo owners (thread-safe). */
uint64_t vocal__serial(void);

#endif
