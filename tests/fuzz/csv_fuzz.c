/* libFuzzer target for the CSV reader: any bytes, under options picked by
 * the first byte, must read to the end without a crash, leak or undefined
 * behaviour, and every record and rejection must satisfy the invariants
 * callers rely on (include/vocal/io.h). The input goes through a file, as
 * the reader reads files: a memfd where there is one. */
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
    static const char delims[4] = {0, ',', ';', '\t'};
    vocal_reader_options o = VOCAL_READER_OPTIONS_INIT;
    o.format = VOCAL_FMT_CSV;
    o.delimiter = delims[flags & 3];
    o.has_header = !(flags & 4);
    o.max_record_bytes = (flags & 8) ? 16 : 0; /* tiny: the oversized-row skip */
    o.text_field = (flags & 16) && o.has_header ? "text" : "1";
    o.label_field = (flags & 32) ? NULL : (flags & 64) && o.has_header ? "label" : "2";
    size_t max = o.max_record_bytes ? o.max_record_bytes : VOCAL_READER_MAX_RECORD_DEFAULT;
    /* bit 7: the version 2 options (issue 6): kept fields, the UTF-8 check,
     * two text columns, and a converting encoding (bit 0 picks which).
     * Converted offsets count UTF-8 bytes, rejections of an invalid byte
     * its file offset: so only lines are checked for order then. */
    int v2 = (flags & 128) != 0;
    /* a UTF-16 byte order mark converts even without an encoding (io.h) */
    int conv = v2 || (size >= 2 && ((data[0] == 0xFF && data[1] == 0xFE) || (data[0] == 0xFE && data[1] == 0xFF)));
    /* options v3: blank texts kept as records with text "" (no flag bit is
     * free: when the two lowest bits are equal, half the delimiters) */
    o.keep_blank_text = (flags & 1) == ((flags >> 1) & 1);
    const char *two[2] = {o.text_field, "3"};
    if (v2) {
        o.keep_fields = 1;
        o.check_utf8 = 1;
        o.text_fields = two;
        o.n_text_fields = 2;
        o.encoding = (flags & 1) ? "windows-1252" : "utf-16";
        max = 4 * max + 8;
    }

    char path[64];
    int fd = bytes_to_file(data, size, path, sizeof path);
    vocal_reader *r = NULL;
    vocal_error err;
    int rc = vocal_reader_open(&r, path, &o, &err);
    if (rc != VOCAL_OK) {
        CHECK(rc == VOCAL_EINPUT && r == NULL && err.code == rc);
        CHECK(memchr(err.msg, '\0', sizeof err.msg) && err.msg[0]);
        close(fd);
        return 0;
    }
    uint64_t n_read = 0, n_rejected = 0, last_byte = 0, last_line = 0;
    int first = 1;
    for (size_t guard = 0;; guard++) {
        CHECK(guard <= size + 1); /* every outcome consumes input */
        vocal_record rec;
        rc = vocal_reader_next(r, &rec, &err);
        if (rc == 0) break;
        uint64_t line, byte;
        if (rc == 1) {
            n_read++;
            CHECK(rec.text && (rec.text_len > 0 || o.keep_blank_text) && rec.text_len <= max + 2 * size + 8 &&
                  (conv || rec.text_len <= size));
            const vocal_field *f;
            size_t nf = vocal_reader_fields(r, &f);
            CHECK(v2 || nf == 0);
            for (size_t i = 0; i < nf; i++) CHECK(f[i].name && (f[i].value || !f[i].len));
            unsigned sum = 0;
            for (size_t i = 0; i < rec.text_len; i++) sum += (unsigned char)rec.text[i];
            (void)sum;
            CHECK((rec.n_labels == 0) == (o.label_field == NULL));
            CHECK((rec.labels == NULL) == (rec.n_labels == 0));
            for (size_t i = 0; i < rec.n_labels; i++) CHECK(rec.labels[i] && rec.labels[i][0]);
            line = rec.line;
            byte = rec.byte;
        } else {
            CHECK(rc == VOCAL_EINPUT && err.code == rc);
            CHECK(memchr(err.msg, '\0', sizeof err.msg) && err.msg[0]);
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
    vocal_record rec;
    CHECK(vocal_reader_next(r, &rec, NULL) == 0);
    uint64_t a, b;
    vocal_reader_stats(r, &a, &b);
    CHECK(a == n_read && b == n_rejected);
    vocal_reader_free(r);
    close(fd);
    return 0;
}
