#ifndef C_MALLOC_TUNING_H
#define C_MALLOC_TUNING_H

/// Limits glibc's malloc to `arenas` arenas (M_ARENA_MAX); does nothing on other C libraries.
/// Many short-lived objects allocated from several threads otherwise fragment into a large resident set.
void apisix_sync_limit_malloc_arenas(int arenas);

/// Returns free heap memory to the operating system (glibc's malloc_trim); does nothing on other C libraries.
/// Called after a full APISIX refresh, whose response body and decoding leave megabytes of freed heap behind.
void apisix_sync_release_free_memory(void);

#endif
