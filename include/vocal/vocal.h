/**
 * @file vocal.h
 * Umbrella header: includes every public module header, nothing else.
 */
#ifndef VOCAL_VOCAL_H
#define VOCAL_VOCAL_H

#include "common.h"
#include "text.h"
#include "lexicon.h"
#include "io.h"
#include "model.h"
#include "report.h"
#include "import.h"
#include "themes.h"

#endif /* VOCAL_VOCAL_H */
