#ifndef VOUCH_CGIT2_SHIM_H
#define VOUCH_CGIT2_SHIM_H
#include <git2.h>
#endif
