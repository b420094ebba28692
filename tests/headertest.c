/* vocal.h must compile alone under -std=c11 -pedantic -Werror (libgit2). */
#include "vocal/vocal.h"

int vocal_headertest_c(void);
int vocal_headertest_c(void)
{
    vocal_text_options o = VOCAL_TEXT_OPTIONS_INIT;
    return (int)o.version + VOCAL_OK;
}
