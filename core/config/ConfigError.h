#pragma once
// Kept for the config layer's readers: the type itself lives in core/io.
#include "core/io/InputError.h"
