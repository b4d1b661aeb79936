#ifndef C_MALLOC_TUNING_H
#define C_MALLOC_TUNING_H

/// Limits glibc's malloc to `arenas` arenas (M_ARENA_MAX); does nothing on other C libraries.
/// Many short-lived objects allocated from several threads otherwise fragment into a large resident set.
void apisix_sync_limit_malloc_arenas(int arenas);

/// Serves every allocation of at least `bytes` with its own mmap (M_MMAP_THRESHOLD), returned to the system when
/// freed. glibc otherwise raises the threshold after the first large free, and the multi-megabyte buffers of list
/// responses and `/metrics` expositions then stay in the heap as resident memory. Does nothing on other C libraries.
void apisix_sync_fix_mmap_threshold(int bytes);

#endif
