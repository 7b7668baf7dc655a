#pragma once
// qcustomplot.h uses Qt's `signals` and `foreach` keywords, which QT_NO_KEYWORDS (required beside
// torch's headers) removes. Define them for this one header and take them back afterwards.
#ifndef signals
#define signals Q_SIGNALS
#define CVAE_DEFINED_SIGNALS
#endif
#ifndef foreach
#define foreach Q_FOREACH
#define CVAE_DEFINED_FOREACH
#endif
#include <qcustomplot.h>
#ifdef CVAE_DEFINED_SIGNALS
#undef signals
#undef CVAE_DEFINED_SIGNALS
#endif
#ifdef CVAE_DEFINED_FOREACH
#undef foreach
#undef CVAE_DEFINED_FOREACH
#endif
