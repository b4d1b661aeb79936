#ifndef C_MALLOC_TUNING_H
#define C_MALLOC_TUNING_H

/// Limits glibc's malloc to `arenas` arenas (M_ARENA_MAX); does nothing on other C libraries.
/// Many short-lived objects allocated from several threads otherwise fragment into a large resident set.
void apisix_sync_limit_malloc_arenas(int arenas);

#endif
