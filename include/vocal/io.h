/**
 * @file io.h
 * The io module's record readers: labelled corpora and survey exports, read
 * one record at a time in bounded memory.
 *
 * Formats (vocal_format):
 * - TSV: `label<TAB>text`, one record per line, no header. The line is split
 *   at its FIRST TAB: the label is everything before it, exactly as written
 *   (no trimming); the text is everything after it, further TABs included.
 * - fastText: one or more leading `__label__X` tokens (separated by spaces or
 *   TABs), then the text. Labels come back without the `__label__` prefix,
 *   so `__label__pos` and the TSV label `pos` are the same label. A
 *   `__label__` token after the first word of text is text.
 * - CSV: RFC 4180 (quoted fields, doubled quotes, quoted newlines, CRLF or
 *   LF or CR line ends) through libcsv. The delimiter is given, or sniffed
 *   from the first line: the most frequent of `,` `;` TAB outside quotes
 *   (ties: `,` then `;` then TAB; none: `,`). Columns are chosen by header
 *   name or by 1-based index. Unquoted fields lose their surrounding spaces
 *   (libcsv); quoted fields are kept byte for byte (a quoted CRLF stays CRLF).
 *   A label cell is one label, verbatim: it is not split.
 * - JSONL (also called NDJSON): one JSON object per line (jansson). Fields
 *   are dotted paths: "meta.text" is the key "meta.text" if the object has
 *   one, else key "text" of the object under "meta"; a numeric segment
 *   indexes an array ("answers.0.text"). The text must be a string; a label
 *   may be a string, an integer (read as its decimal digits: star ratings),
 *   a theme object {"id":"delivery.late","polarity":"negative"} (read as
 *   "delivery.late:negative", or "delivery.late" without a polarity; the key
 *   "theme" is read as "id" when there is no "id"), or a
 *   non-empty array of those.
 * - lines: every line is a text; no labels.
 *
 * Common rules:
 * - A UTF-8 byte order mark at the start of the file is skipped (byte
 *   offsets still count it). Invalid UTF-8 is passed through for the
 *   tokenizer to replace and count, except in JSONL, where RFC 8259 §8.1
 *   makes it a syntax error, so such a line is rejected.
 * - Lines end at LF; a CR before the LF is dropped. In CSV a lone CR also
 *   ends a row (and counts as a line end); in the line formats it is data.
 * - Blank lines (empty, or only ASCII whitespace: space, TAB, CR, VT, FF)
 *   are skipped in every format: they are not records, not rejections, and
 *   are not counted.
 *   (In TAB-delimited CSV a line of TABs is a row of empty fields.)
 * - A record whose text is empty or only whitespace, or that lacks a
 *   required label, is rejected (VOCAL_EINPUT) with the file, line and byte;
 *   the reader then goes on with the next record. Nothing is dropped
 *   silently; vocal_reader_stats gives the counts at the end.
 * - Memory is bounded by the largest record, never by the file: a record
 *   over max_record_bytes is rejected and skipped without being held.
 *
 * Threads: a reader is used by one thread at a time; separate readers are
 * independent.
 */
#ifndef VOCAL_IO_H
#define VOCAL_IO_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Record formats. Numbers are frozen. */
typedef enum vocal_format {
    VOCAL_FMT_UNKNOWN = -1, /**< returned by vocal_format_from_name for an unknown name */
    VOCAL_FMT_AUTO = 0,     /**< detect: see vocal_reader_open */
    VOCAL_FMT_TSV = 1,      /**< label<TAB>text */
    VOCAL_FMT_FASTTEXT = 2, /**< __label__a __label__b text */
    VOCAL_FMT_CSV = 3,      /**< RFC 4180, with a header by default */
    VOCAL_FMT_JSONL = 4,    /**< one JSON object per line */
    VOCAL_FMT_LINES = 5     /**< one text per line, unlabelled */
} vocal_format;

/** The default max_record_bytes: 1 MiB. */
#define VOCAL_READER_MAX_RECORD_DEFAULT ((size_t)1 << 20)

/**
 * Versioned reader options; initialise with VOCAL_READER_OPTIONS_INIT and
 * change only the fields you need.
 */
typedef struct vocal_reader_options {
    unsigned version;        /**< VOCAL_READER_OPTIONS_VERSION */
    vocal_format format;     /**< VOCAL_FMT_AUTO (default) or a format */
    /** CSV: the text column, by header name or as a 1-based index ("3").
     * JSONL: the text field's dotted path. NULL means "text". A CSV header
     * name is matched exactly, then ASCII-case-insensitively; a name that
     * matches a header cell wins over reading it as an index. Ignored by
     * TSV, fastText and lines. Copied by vocal_reader_open. */
    const char *text_field;
    /** CSV column or JSONL path of the label(s), as text_field; default
     * "label". NULL means the input is unlabelled (records have no labels,
     * and none are required). Ignored by TSV and fastText, which always
     * require labels, and by lines, which never has them. Copied. */
    const char *label_field;
    /** CSV delimiter; 0 sniffs it from the first line. Must not be `"`,
     * CR, LF or NUL. Ignored by other formats. */
    char delimiter;
    /** CSV: 1 (default) if the first row names the columns; 0 if there is
     * no header, and then text_field and label_field must be indexes. */
    int has_header;
    /** Records longer than this many bytes (of input, line end excluded)
     * are rejected and skipped; 0 means VOCAL_READER_MAX_RECORD_DEFAULT. */
    size_t max_record_bytes;
    /* MARK: version 2 */
    /** Several text columns (CSV names or indexes, JSONL paths), read as
     * text_field is; when n_text_fields > 0 they replace text_field. The
     * record's text is their non-blank cells joined by a blank line
     * ("\n\n"), in the order given; a record whose cells are all blank or
     * missing is rejected. The array and strings are copied. */
    const char *const *text_fields;
    size_t n_text_fields;
    /** 1: keep every column of each record for vocal_reader_fields (CSV:
     * every cell; JSONL: every top-level member that is a string, number
     * or boolean). 0 (default): only the text and labels are kept. */
    int keep_fields;
    /** The input's character encoding: NULL or "utf-8" (default); "utf-16"
     * (a byte order mark decides, little-endian without one), "utf-16le",
     * "utf-16be", "windows-1252" ("cp1252"), "latin1" ("iso-8859-1"), or
     * any other name iconv knows. Other encodings are converted to UTF-8
     * as the file is read (streaming); a record holding bytes that are
     * invalid in the encoding is rejected with the first one's file
     * offset, never passed on with a replacement. In UTF-8 mode a file that
     * starts with a UTF-16 byte order mark is read as UTF-16. Copied. */
    const char *encoding;
    /** UTF-8 input: 1 rejects a record whose text or kept fields hold
     * invalid UTF-8 (with the column and byte); 0 (default) passes it on
     * for the tokenizer to replace and count, as version 1 did. */
    int check_utf8;
    /** JSONL: a label field holding an empty array reads as this one label
     * (theme corpora: "none", a record with no theme); NULL (default)
     * rejects such a record as unlabelled. Copied. */
    const char *empty_label;
    /* MARK: version 3 */
    /** CSV and JSONL: 1 returns a record whose text is blank (every text
     * cell blank; every text field blank or null, or with several text
     * fields also missing) with text "" and text_len 0 — a survey response
     * without a comment, which still counts for its scores — where 0
     * (default) rejects it as "empty text". A JSONL record without its one
     * text field is rejected either way ("missing field": more often a
     * misspelt field than a silent respondent). Other formats ignore it. */
    int keep_blank_text;
} vocal_reader_options;

#define VOCAL_READER_OPTIONS_VERSION 3
#define VOCAL_READER_OPTIONS_INIT \
    { VOCAL_READER_OPTIONS_VERSION, VOCAL_FMT_AUTO, "text", "label", 0, 1, \
      VOCAL_READER_MAX_RECORD_DEFAULT, NULL, 0, 0, NULL, 0, NULL, 0 }

/**
 * One record. Every pointer is borrowed from the reader and lives until the
 * next vocal_reader_next or vocal_reader_free on it.
 */
typedef struct vocal_record {
    const char *text;          /**< the text; NOT NUL-terminated and may hold NUL bytes */
    size_t text_len;           /**< its length in bytes: > 0, or 0 for a blank text kept
                                    by keep_blank_text */
    const char *const *labels; /**< n_labels NUL-terminated, non-empty labels; NULL if none */
    size_t n_labels;           /**< 0 for unlabelled input */
    uint64_t line;             /**< first line of the record, 1-based */
    uint64_t byte;             /**< file offset of the record's first byte (its line start) */
} vocal_record;

typedef struct vocal_reader vocal_reader;

/**
 * Open a file of records.
 *
 * VOCAL_FMT_AUTO picks the format from the file name's extension, ASCII
 * case-insensitively: .tsv TSV, .txt lines, .csv CSV, .jsonl and .ndjson
 * JSONL, .ft and .fasttext fastText. Failing that (stdin, another
 * extension), from the first non-blank line: JSONL if it starts with `{`;
 * fastText if it starts with `__label__`; CSV if, split at its sniffed
 * delimiter, a cell names the text column (only when has_header is 1); TSV
 * if it holds a TAB; else lines. Pass a format when the guess may be wrong.
 *
 * Open reads the start of the input (for the byte order mark, detection and
 * a CSV header), so on a pipe it waits for the first line. A CSV header is
 * read here, so a missing column is reported at once.
 *
 * @param[out] out  the reader, owned by the caller (vocal_reader_free); NULL on failure.
 * @param path      the file; "-" reads standard input (err->path then says
 *                  "<stdin>"). Must not be NULL.
 * @param o         options; NULL means VOCAL_READER_OPTIONS_INIT. Not kept.
 * @param err       filled on failure; may be NULL.
 * @return VOCAL_OK; VOCAL_EIO (cannot open or read; err->msg has the
 *         reason); VOCAL_EINPUT (bad option value, or a CSV header that is
 *         unreadable or lacks a column: err->line and err->byte point at
 *         it); VOCAL_ENOMEM. An empty file opens and yields no records.
 * Threads: any thread; the reader it makes is used by one thread at a time.
 */
VOCAL_API int vocal_reader_open(vocal_reader **out, const char *path,
                                const vocal_reader_options *o, vocal_error *err);

/**
 * Read the next record.
 * @param r    the reader; must not be NULL.
 * @param[out] rec  the record, when 1 is returned; its pointers are borrowed
 *             until the next call on r. Must not be NULL. Left zeroed otherwise.
 * @param err  filled when a negative code is returned; may be NULL.
 * @return 1: a record; 0: end of input (and on every call after);
 *         VOCAL_EINPUT: this record is rejected and skipped — err names the
 *         file, the record's first line and byte (for a JSON syntax error,
 *         the offending byte) and the reason; call again for the next one;
 *         VOCAL_EIO or VOCAL_ENOMEM: fatal; every later call returns the
 *         same code, and the reader can only be freed.
 * Threads: one thread at a time per reader.
 */
VOCAL_API int vocal_reader_next(vocal_reader *r, vocal_record *rec, vocal_error *err);

/**
 * Counts so far: records returned (read) and rejected. Blank lines and a CSV
 * header are neither.
 * @param r         the reader; must not be NULL.
 * @param read      if not NULL, set to the number of records returned.
 * @param rejected  if not NULL, set to the number of VOCAL_EINPUT returns.
 */
VOCAL_API void vocal_reader_stats(const vocal_reader *r, uint64_t *read, uint64_t *rejected);

/** One column of the current record (options.keep_fields). */
typedef struct vocal_field {
    const char *name;  /**< NUL-terminated: the CSV header cell (its 1-based
                            index, as decimal digits, without a header) or
                            the JSONL member name */
    const char *value; /**< NOT NUL-terminated; a JSON number in decimal ("7",
                            "4.5" as %.17g writes it), a boolean as "true" / "false" */
    size_t len;
} vocal_field;

/**
 * The columns of the record last returned, when the reader was opened with
 * keep_fields = 1 (else none): every CSV cell in header order, or every
 * JSONL top-level member that is a string, number or boolean, in the
 * object's order (null, objects and arrays are left out).
 * @param r         the reader; must not be NULL.
 * @param[out] out  set to the array, borrowed until the next call on r; NULL if none.
 * @return the number of fields.
 * Threads: one thread at a time per reader.
 */
VOCAL_API size_t vocal_reader_fields(const vocal_reader *r, const vocal_field **out);

/**
 * One value of the record last returned, by JSONL dotted path ("meta.date",
 * "answers.0.score": the rules of text_field): a string as it is, a number
 * or boolean as vocal_reader_fields writes it. For other formats, a column
 * of vocal_reader_fields by exact name (keep_fields).
 * @param r     the reader; must not be NULL.
 * @param path  must not be NULL.
 * @param[out] s, n  the value, borrowed until the next call on r.
 * @return 1 if found, 0 if the record has no such scalar value.
 */
VOCAL_API int vocal_reader_lookup(vocal_reader *r, const char *path, const char **s, size_t *n);

/**
 * The raw bytes of the record last returned or rejected, when the reader
 * still holds them (after any encoding conversion): the whole line in the
 * line formats and JSONL, the row in CSV (quoted line ends included, its
 * own line end not); not available for an oversized record.
 * @return 1 and sets *s, *n (borrowed until the next call on r), or 0.
 */
VOCAL_API int vocal_reader_raw(const vocal_reader *r, const char **s, size_t *n);

/**
 * How many bytes of the input file have been consumed so far (before any
 * encoding conversion): for a progress display against the file size.
 */
VOCAL_API uint64_t vocal_reader_tell(const vocal_reader *r);

/** The format being read: the one asked for, or what AUTO detected. r must not be NULL. */
VOCAL_API vocal_format vocal_reader_format(const vocal_reader *r);

/** Close the file (unless it is stdin) and release the reader. NULL-safe. */
VOCAL_API void vocal_reader_free(vocal_reader *r);

/**
 * Parse a format name, ASCII case-insensitively: "auto", "tsv", "fasttext"
 * (or "ft"), "csv", "jsonl" (or "ndjson"), "lines" (or "txt").
 * @param name  may be NULL.
 * @return the format, or VOCAL_FMT_UNKNOWN for NULL or an unknown name.
 * Threads: safe.
 */
VOCAL_API vocal_format vocal_format_from_name(const char *name);

/**
 * The canonical name of a format ("tsv" …), as vocal_format_from_name reads
 * it; "unknown" for a value outside the enum. Static string. Threads: safe.
 */
VOCAL_API const char *vocal_format_name(vocal_format f);

/* MARK: carry-through roles (docs/format/records.md) */

/** The carry-through roles of records.md. Numbers are frozen. */
typedef enum vocal_role {
    VOCAL_ROLE_NONE = -1,
    VOCAL_ROLE_ID = 0,
    VOCAL_ROLE_DATE = 1,
    VOCAL_ROLE_NPS = 2,
    VOCAL_ROLE_CSAT = 3,
    VOCAL_ROLE_CES = 4,
    VOCAL_ROLE_SEGMENT = 5,
    VOCAL_ROLE_TOUCHPOINT = 6,
    VOCAL_ROLE_CHANNEL = 7
} vocal_role;
#define VOCAL_ROLE_COUNT 8

/**
 * The role a column name implies (records.md, "Carry-through roles"):
 * matched ASCII-case-insensitively, with spaces and `-` read as `_`, and
 * surrounding spaces ignored. "Respondent ID" is VOCAL_ROLE_ID.
 * @param name  the column name, not NUL-terminated; may be NULL when len is 0.
 * @return the role, or VOCAL_ROLE_NONE.
 * Threads: safe.
 */
VOCAL_API vocal_role vocal_role_from_column(const char *name, size_t len);

/** The role's key in records.md ("id", "date" …); "" for VOCAL_ROLE_NONE. Static. */
VOCAL_API const char *vocal_role_name(vocal_role role);

/**
 * Read an NPS cell: a whole number 0..10, surrounding spaces allowed ("7",
 * " 10 ", "7.0" too: some exports write floats).
 * @return VOCAL_OK, or VOCAL_EINPUT (empty, not a number, not whole, or out
 *         of range; *out untouched).
 */
VOCAL_API int vocal_parse_nps(int *out, const char *s, size_t len);

/**
 * Read a CSAT / CES cell: a finite decimal number, `.` or `,` as the
 * decimal mark, surrounding spaces allowed. Locale-independent.
 * @return VOCAL_OK or VOCAL_EINPUT.
 */
VOCAL_API int vocal_parse_number(double *out, const char *s, size_t len);

/** Room for the longest date vocal_parse_date writes: "YYYY-MM-DDThh:mm:ssZ" and NUL. */
#define VOCAL_DATE_MAX 21

/**
 * Read a date cell and write it as ISO 8601: "YYYY-MM-DD" for a date, or
 * "YYYY-MM-DDThh:mm:ssZ" when it has a time of day.
 *
 * Without a format, these forms are read (surrounding spaces allowed):
 * `YYYY-MM-DD`, `YYYY/MM/DD`, `DD/MM/YYYY`, `DD.MM.YYYY`, each optionally
 * followed by ` hh:mm[:ss]` (or `T` in the ISO form), fractional seconds
 * (dropped) and a zone `Z` or `±hh[:]mm` (converted to UTC). A time with no
 * zone is taken as UTC. US-style MM/DD/YYYY needs format "%m/%d/%Y".
 * With a format, strptime(3) reads the cell and must consume all of it; the
 * result has a time when the format sets an hour.
 * Every field is range-checked (February 29 only in leap years).
 *
 * @param[out] out  the ISO text, NUL-terminated; unspecified on failure.
 * @param s, len    the cell (not NUL-terminated).
 * @param format    a strptime(3) format, or NULL.
 * @return the length written (> 0), or VOCAL_EINPUT.
 * Threads: safe.
 */
VOCAL_API int vocal_parse_date(char out[VOCAL_DATE_MAX], const char *s, size_t len, const char *format);

#ifdef __cplusplus
}
#endif
#endif /* VOCAL_IO_H */
