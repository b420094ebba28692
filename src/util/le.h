/* Little-endian load/store, and the CRC-32C that guards what they write.
 *
 * Every number in a vocal file goes through these (STYLE.md "Model file"),
 * never through fwrite of a struct, so files are the same on every host
 * (fastText's native-endian structs are the mistake we avoid). The byte-wise
 * forms compile to single moves on little-endian targets. Never installed. */
#ifndef VOCAL_LE_H
#define VOCAL_LE_H

#include <stddef.h>
#include <stdint.h>

static inline uint16_t vocal__le16(const void *p)
{
    const unsigned char *b = (const unsigned char *)p;
    return (uint16_t)(b[0] | (unsigned)b[1] << 8);
}

static inline uint32_t vocal__le32(const void *p)
{
    const unsigned char *b = (const unsigned char *)p;
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static inline uint64_t vocal__le64(const void *p)
{
    const unsigned char *b = (const unsigned char *)p;
    return (uint64_t)vocal__le32(b) | (uint64_t)vocal__le32(b + 4) << 32;
}

static inline void vocal__put_le16(void *p, uint16_t v)
{
    unsigned char *b = (unsigned char *)p;
    b[0] = (unsigned char)v;
    b[1] = (unsigned char)(v >> 8);
}

static inline void vocal__put_le32(void *p, uint32_t v)
{
    unsigned char *b = (unsigned char *)p;
    b[0] = (unsigned char)v;
    b[1] = (unsigned char)(v >> 8);
    b[2] = (unsigned char)(v >> 16);
    b[3] = (unsigned char)(v >> 24);
}

static inline void vocal__put_le64(void *p, uint64_t v)
{
    unsigned char *b = (unsigned char *)p;
    vocal__put_le32(b, (uint32_t)v);
    vocal__put_le32(b + 4, (uint32_t)(v >> 32));
}

/* CRC-32C (Castagnoli, reflected polynomial 0x82F63B78; RFC 3720 §B.4), the
 * checksum of iSCSI, ext4 and zstd's skippable frames. Start with crc = 0 and
 * chain calls to checksum data in pieces:
 *   vocal__crc32c(vocal__crc32c(0, a, n), b, m) == vocal__crc32c(0, a|b, n+m).
 * Check value: vocal__crc32c(0, "123456789", 9) == 0xE3069283. Threads: safe. */
uint32_t vocal__crc32c(uint32_t crc, const void *data, size_t n);

#endif
