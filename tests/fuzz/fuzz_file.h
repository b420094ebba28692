/* Shared by the fuzz targets whose code under test reads files: the input
 * goes through an unnamed file (a memfd where there is one, else an
 * unlinked temporary file), and CHECK aborts on a broken invariant. */
#ifndef VOCAL_FUZZ_FILE_H
#define VOCAL_FUZZ_FILE_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define CHECK(c) do { if (!(c)) abort(); } while (0)

/* Write the bytes to an unnamed file; its path goes in path. Returns the
 * descriptor, which the caller closes. */
static int bytes_to_file(const uint8_t *data, size_t size, char *path, size_t cap)
{
#ifdef MFD_CLOEXEC
    int fd = memfd_create("vocal-fuzz", MFD_CLOEXEC);
#else
    int fd = -1;
#endif
    if (fd < 0) {
        char tmpl[] = "/tmp/vocal-fuzz-XXXXXX";
        fd = mkstemp(tmpl);
        CHECK(fd >= 0);
        unlink(tmpl);
    }
    for (size_t off = 0; off < size;) {
        ssize_t k = write(fd, data + off, size - off);
        CHECK(k > 0);
        off += (size_t)k;
    }
    snprintf(path, cap, "/proc/self/fd/%d", fd);
    return fd;
}

#endif
