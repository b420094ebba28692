/* Output files written atomically (DESIGN.md: a crash never leaves a
 * half-written file under the real name): the data goes to a temporary
 * file beside the target, which is synced and renamed over it at the end.
 * A run killed midway leaves at most the temporary (FILE.tmp-XXXXXX). */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

int cli_outfile_open(cli_outfile *o, const char *path)
{
    memset(o, 0, sizeof *o);
    if (!path || !strcmp(path, "-")) {
        o->f = stdout;
        return 0;
    }
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        /* /dev/null, a FIFO, a terminal: nothing to replace atomically */
        o->f = fopen(path, "w");
        if (!o->f) {
            cli_error("%s: cannot open: %s", path, strerror(errno));
            return -1;
        }
        o->path = path;
        o->direct = 1;
        return 0;
    }
    size_t n = strlen(path);
    o->path = path;
    o->tmp = malloc(n + 16);
    if (!o->tmp) {
        cli_error("out of memory");
        return -1;
    }
    /* beside the target, so rename(2) stays on one file system and is atomic */
    snprintf(o->tmp, n + 16, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(o->tmp);
    if (fd < 0) {
        cli_error("%s: cannot create a temporary file beside it: %s", path, strerror(errno));
        free(o->tmp);
        o->tmp = NULL;
        return -1;
    }
    /* mkstemp makes 0600; an output file gets the usual 0666 & ~umask */
    mode_t um = umask(0);
    umask(um);
    (void)fchmod(fd, 0666 & ~um);
    o->f = fdopen(fd, "w");
    if (!o->f) {
        cli_error("%s: %s", path, strerror(errno));
        close(fd);
        unlink(o->tmp);
        free(o->tmp);
        o->tmp = NULL;
        return -1;
    }
    return 0;
}

int cli_outfile_commit(cli_outfile *o)
{
    int rc = 0;
    if (!o->f) return 0;
    if (!o->tmp) {
        if (fflush(o->f) != 0 || ferror(o->f)) {
            cli_error("%s: cannot write", o->direct ? o->path : "standard output");
            rc = -1;
        }
        if (o->direct && fclose(o->f) != 0 && rc == 0) {
            cli_error("%s: cannot write: %s", o->path, strerror(errno));
            rc = -1;
        }
        o->f = NULL;
        return rc;
    }
    if (fflush(o->f) != 0 || ferror(o->f) || fsync(fileno(o->f)) != 0) {
        cli_error("%s: cannot write: %s", o->path, strerror(errno ? errno : EIO));
        rc = -1;
    }
    if (fclose(o->f) != 0 && rc == 0) {
        cli_error("%s: cannot write: %s", o->path, strerror(errno));
        rc = -1;
    }
    o->f = NULL;
    if (rc == 0 && rename(o->tmp, o->path) != 0) {
        cli_error("%s: cannot rename the temporary file over it: %s", o->path, strerror(errno));
        rc = -1;
    }
    if (rc != 0) unlink(o->tmp);
    free(o->tmp);
    o->tmp = NULL;
    return rc;
}

void cli_outfile_abort(cli_outfile *o)
{
    if (!o->f) return;
    if (o->tmp) {
        fclose(o->f);
        unlink(o->tmp);
        free(o->tmp);
        o->tmp = NULL;
    } else if (o->direct) {
        fclose(o->f);
    } else {
        fflush(o->f);
    }
    o->f = NULL;
}
