#include "CMallocTuning.h"

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

