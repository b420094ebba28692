/* libFuzzer target for the JSONL reader, and through format detection for
 * the other line formats (TSV, fastText, lines): any bytes, under options
 * picked by the first byte, must read to the end without a crash, leak or
 * undefined behaviour, and every record and rejection must satisfy the
 * invariants callers rely on (include/vocal/io.h). The input goes through a
 * file, as the reader reads files: a memfd where there is one. */
#include "fuzz_file.h"
#include "vocal/io.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t flags = 0;
    if (size) {
        flags = data[0];
        data++;
        size--;
    }
    static const char *const text_paths[4] = {"text", "meta.text", "a.0", "t"};
    static const char *const label_paths[4] = {"label", "labels", "meta.l.1", NULL};
    vocal_reader_options o = VOCAL_READER_OPTIONS_INIT;
    /* the path has no extension: AUTO sniffs the content, reaching every
     * line format and CSV */
    o.format = (flags & 64) ? VOCAL_FMT_AUTO : VOCAL_FMT_JSONL;
    o.text_field = text_paths[flags & 3];
    o.label_field = label_paths[(flags >> 2) & 3];
    o.max_record_bytes = (flags & 16) ? 24 : 0;
    size_t max = o.max_record_bytes ? o.max_record_bytes : VOCAL_READER_MAX_RECORD_DEFAULT;
    /* bit 7: the version 2 options (issue 6): kept members, the UTF-8
     * check and two text paths joined */
    const char *two[2] = {o.text_field, "meta.text"};
    /* a UTF-16 byte order mark converts the input (io.h): offsets and
     * lengths then count UTF-8 bytes, not the file's */
    int conv = size >= 2 && ((data[0] == 0xFF && data[1] == 0xFE) || (data[0] == 0xFE && data[1] == 0xFF));
    if (flags & 128) {
        o.keep_fields = 1;
        o.check_utf8 = 1;
        o.text_fields = two;
        o.n_text_fields = 2;
    }
    /* bit 5: options v3, blank texts kept as records with text "" */
    o.keep_blank_text = !!(flags & 32);

    char path[64];
    int fd = bytes_to_file(data, size, path, sizeof path);
    vocal_reader *r = NULL;
    vocal_error err;
    int rc = vocal_reader_open(&r, path, &o, &err);
    if (rc != VOCAL_OK) {
        CHECK(rc == VOCAL_EINPUT && r == NULL && err.code == rc && err.msg[0]);
        close(fd);
        return 0;
    }
    vocal_format f = vocal_reader_format(r);
    CHECK(f > VOCAL_FMT_AUTO && f <= VOCAL_FMT_LINES);
    CHECK(o.format == VOCAL_FMT_AUTO || f == VOCAL_FMT_JSONL);
    uint64_t n_read = 0, n_rejected = 0, last_byte = 0, last_line = 0;
    int first = 1;
    for (size_t guard = 0;; guard++) {
        CHECK(guard <= size + 1);
        vocal_record rec;
        rc = vocal_reader_next(r, &rec, &err);
        if (rc == 0) break;
        uint64_t line, byte;
        if (rc == 1) {
            n_read++;
            CHECK(rec.text && (rec.text_len > 0 || o.keep_blank_text));
            const vocal_field *fl;
            size_t nf = vocal_reader_fields(r, &fl);
            CHECK((flags & 128) || nf == 0);
            for (size_t i = 0; i < nf; i++) CHECK(fl[i].name && (fl[i].value || !fl[i].len));
            /* JSON unescapes, so a text is not bounded by its line. Two
             * joined cells add a blank line, and both paths may name the
             * same column (flags & 3 == 1: "meta.text" twice), so a joined
             * text is bounded by twice the record plus 2 bytes. */
            if (f != VOCAL_FMT_JSONL && !conv) {
                size_t k = (flags & 128) ? 2 : 1;
                CHECK(rec.text_len <= k * size + 2 * (k - 1) && rec.text_len <= k * max + 2 * (k - 1));
            }
            unsigned sum = 0;
            for (size_t i = 0; i < rec.text_len; i++) sum += (unsigned char)rec.text[i];
            (void)sum;
            CHECK((rec.labels == NULL) == (rec.n_labels == 0));
            if (f == VOCAL_FMT_TSV || f == VOCAL_FMT_FASTTEXT) CHECK(rec.n_labels > 0);
            if (f == VOCAL_FMT_LINES) CHECK(rec.n_labels == 0);
            if (f == VOCAL_FMT_JSONL) CHECK((rec.n_labels > 0) == (o.label_field != NULL));
            for (size_t i = 0; i < rec.n_labels; i++) CHECK(rec.labels[i] && rec.labels[i][0]);
            line = rec.line;
            byte = rec.byte;
        } else {
            CHECK(rc == VOCAL_EINPUT && err.code == rc && err.msg[0]);
            CHECK(memchr(err.msg, '\0', sizeof err.msg));
            CHECK(rec.text == NULL && rec.n_labels == 0);
            n_rejected++;
            line = err.line;
            byte = err.byte;
        }
        CHECK(line >= 1 && (conv || byte < size));
        CHECK(first || (line > last_line && (conv || byte > last_byte)));
        first = 0;
        last_line = line;
        last_byte = byte;
    }
    uint64_t a, b;
    vocal_reader_stats(r, &a, &b);
    CHECK(a == n_read && b == n_rejected);
    vocal_reader_free(r);
    close(fd);
    return 0;
}
