/* atomic_file: replace a file's contents all at once or not at all.
 *
 * Readers see either the old file or the complete new one, never a mix, and
 * a failure (disk full, read-only directory) leaves the old file as it was. */
#ifndef OKAYA_ATOMIC_FILE_H
#define OKAYA_ATOMIC_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Writes data to a temporary file next to path (same directory, so rename
 * cannot cross file systems), checks every write, fsyncs it, sets mode
 * (whatever the umask) and renames it over path. After a crash path holds
 * the old contents or the new, whole either way. With `durable` it also
 * fsyncs the directory, so the new contents survive a power cut too (about
 * half a millisecond more on ext4).
 * Returns 0, or -1 with the reason in err ("File too large"); the temporary
 * file is removed on every failure. */
int atomic_file_write(const char *path, const void *data, size_t len, mode_t mode,
		      bool durable, char *err, size_t errlen);

/* Creates dir and any missing parents. Directories it creates get exactly
 * `mode` (umask ignored); existing ones are left alone. 0 or -1 with err. */
int dir_make_parents(const char *dir, mode_t mode, char *err, size_t errlen);

#endif
