/* libFuzzer target for the markup importers (HTML to text, RSS, Atom, HTML
 * pages with an XPath) and the Play Console CSV: any bytes, under a format
 * picked by the first byte, must import without a crash, leak or undefined
 * behaviour; HTML-to-text output must be valid to hand to strlen. */
#include "import_common.h"
#include "import/import_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t flags = 0;
    if (size) {
        flags = data[0];
        data++;
        size--;
    }
    if ((flags & 7) == 0) { /* the converter alone */
        vocal__buf b = {0};
        vocal__irec r;
        memset(&r, 0, sizeof r);
        CHECK(vocal__html_text(&b, &r, (const char *)data, size) == VOCAL_OK);
        CHECK(b.p && strlen(b.p) == b.len);
        vocal__irec_free(&r);
        vocal__buf_free(&b);
        return 0;
    }
    static const char *const xpaths[4] = {"//p", "//div[@class='review']", "//*", "//text()"};
    vocal_import_options o = VOCAL_IMPORT_OPTIONS_INIT;
    switch (flags & 7) {
    case 1: o.format = VOCAL_IMPORT_RSS; break;
    case 2: o.format = VOCAL_IMPORT_ATOM; break;
    case 3: o.format = VOCAL_IMPORT_GOOGLEPLAY; break;
    case 4: o.format = VOCAL_IMPORT_HTML; o.xpath = xpaths[(flags >> 3) & 3]; break;
    default: o.format = VOCAL_IMPORT_AUTO; break;
    }
    import_and_check(data, size, &o);
    return 0;
}
