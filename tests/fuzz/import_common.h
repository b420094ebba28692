/* Shared by the import fuzz targets: the input goes through a file, as the
 * importer reads files (a memfd where there is one), and every record and
 * rejection must satisfy the invariants callers rely on
 * (include/vocal/import.h). */
#ifndef VOCAL_IMPORT_FUZZ_COMMON_H
#define VOCAL_IMPORT_FUZZ_COMMON_H

#include "fuzz_file.h"
#include "vocal/import.h"

/* Import the bytes under o and check every invariant. */
static void import_and_check(const uint8_t *data, size_t size, vocal_import_options *o)
{
    char path[64];
    int fd = bytes_to_file(data, size, path, sizeof path);
    o->author_key = "fuzz";
    o->author_key_len = 4;
    vocal_importer *imp = NULL;
    vocal_error err;
    int rc = vocal_importer_new(&imp, o, &err);
    CHECK(rc == VOCAL_OK);
    rc = vocal_importer_add(imp, path, &err);
    CHECK(rc == VOCAL_OK || rc == VOCAL_EFORMAT || rc == VOCAL_EINPUT);
    if (rc < 0) CHECK(err.code == rc && err.msg[0] && memchr(err.msg, '\0', sizeof err.msg));
    if (rc < 0 && err.byte != UINT64_MAX) CHECK(err.byte <= size);
    uint64_t n = 0, rejected = 0;
    vocal_import_record r;
    while ((rc = vocal_importer_next(imp, &r, &err)) != 0) {
        if (rc == 1) {
            n++;
            CHECK(r.text && strlen(r.text) == r.text_len);
            CHECK(r.text_len > 0 || r.is_repost);
            CHECK(r.format && r.channel && r.source);
            CHECK(!r.created_at || strlen(r.created_at) == 20);
            CHECK(!r.author || o->keep_authors || strlen(r.author) == 18);
            for (size_t i = 0; i < r.n_links; i++) CHECK(r.links[i]);
        } else {
            CHECK(rc == VOCAL_EINPUT && err.code == rc && err.msg[0]);
            rejected++;
        }
    }
    vocal_import_stats st;
    vocal_importer_stats(imp, &st);
    CHECK(st.imported == n && st.rejected == rejected);
    CHECK(st.read == st.imported + st.duplicates + st.reposts + st.empty + st.rejected);
    vocal_importer_free(imp);
    close(fd);
}

#endif
