// vocal.h must also compile as C++ (extern "C", no C-only constructs).
#include "vocal/vocal.h"

int vocal_headertest_cxx();
int vocal_headertest_cxx()
{
    vocal_text_options o = VOCAL_TEXT_OPTIONS_INIT;
    return static_cast<int>(o.version) + VOCAL_OK;
}
