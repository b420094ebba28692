/* libFuzzer target for the JSON importers (X archive, Facebook, Instagram,
 * Mastodon, Reddit listings and dumps, App Store): any bytes, under a format
 * picked by the first byte (auto, or one named), must import without a
 * crash, leak or undefined behaviour, and keep the counts' invariant. */
#include "import_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const vocal_import_format formats[8] = {
        VOCAL_IMPORT_AUTO,      VOCAL_IMPORT_TWITTER, VOCAL_IMPORT_FACEBOOK, VOCAL_IMPORT_INSTAGRAM,
        VOCAL_IMPORT_MASTODON,  VOCAL_IMPORT_REDDIT,  VOCAL_IMPORT_APPSTORE, VOCAL_IMPORT_AUTO,
    };
    uint8_t flags = 0;
    if (size) {
        flags = data[0];
        data++;
        size--;
    }
    vocal_import_options o = VOCAL_IMPORT_OPTIONS_INIT;
    o.format = formats[flags & 7];
    o.include_reposts = (flags >> 3) & 1;
    o.keep_authors = (flags >> 4) & 1;
    import_and_check(data, size, &o);
    return 0;
}
