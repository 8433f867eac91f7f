#ifndef VOUCH_COPENBLAS_SHIM_H
#define VOUCH_COPENBLAS_SHIM_H
// cblas.h also declares openblas_get_config, openblas_get_corename and openblas_set_num_threads.
#include <cblas.h>
#endif
