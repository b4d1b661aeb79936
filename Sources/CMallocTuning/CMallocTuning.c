#include "CMallocTuning.h"

// <stdlib.h> pulls in <features.h>, which defines __GLIBC__: without it the checks below are always false.
#include <stdlib.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

void apisix_sync_limit_malloc_arenas(int arenas) {
#if defined(__GLIBC__)
    mallopt(M_ARENA_MAX, arenas);
#else
    (void)arenas;
#endif
}


void apisix_sync_fix_mmap_threshold(int bytes) {
#if defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, bytes);
#else
    (void)bytes;
#endif
}
