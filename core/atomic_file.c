/* atomic_file: temp file + fsync + rename, and mkdir -p with a fixed mode. */
#include "atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The directory part of path ("." when there is none); malloc'd. */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0) {            /* should not happen for regular files */
			errno = EIO;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* fsync on the directory makes the rename itself durable. Some file systems
 * refuse fsync on a directory (EINVAL); the data is safe by then anyway. */
static int sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	if (rc != 0 && (errno == EINVAL || errno == EROFS))
		rc = 0;
	int saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

int atomic_file_write(const char *path, const void *data, size_t len, mode_t mode,
		      bool durable, char *err, size_t errlen)
{
	char *dir = dir_of(path);
	size_t tlen = strlen(path) + sizeof ".tmp-XXXXXX";
	char *tmp = malloc(tlen);
	if (!dir || !tmp) {
		free(dir);
		free(tmp);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	snprintf(tmp, tlen, "%s.tmp-XXXXXX", path);

	int fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create a temporary file in %s: %s", dir,
			 strerror(errno));
		free(dir);
		free(tmp);
		return -1;
	}
	const char *step = NULL;
	if (write_all(fd, data, len) != 0)
		step = "";
	else if (fchmod(fd, mode) != 0)
		step = "cannot set its mode: ";
	else if (fsync(fd) != 0)
		step = "";
	int saved = errno;
	if (close(fd) != 0 && !step) {   /* NFS may report write errors only here */
		step = "";
		saved = errno;
	}
	if (!step && rename(tmp, path) != 0) {
		step = "cannot replace it: ";
		saved = errno;
	}
	if (step) {
		unlink(tmp);
		snprintf(err, errlen, "%s%s", step, strerror(saved));
		free(dir);
		free(tmp);
		return -1;
	}
	int rc = 0;
	if (durable && sync_dir(dir) != 0) {
		snprintf(err, errlen, "cannot sync %s: %s", dir, strerror(errno));
		rc = -1;
	}
	free(dir);
	free(tmp);
	return rc;
}

int dir_make_parents(const char *dir, mode_t mode, char *err, size_t errlen)
{
	struct stat st;
	if (stat(dir, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return 0;
		snprintf(err, errlen, "%s is not a directory", dir);
		return -1;
	}
	if (errno != ENOENT) {
		snprintf(err, errlen, "cannot use %s: %s", dir, strerror(errno));
		return -1;
	}
	char *parent = dir_of(dir);
	if (!parent) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	int rc = 0;
	if (strcmp(parent, dir) != 0 && strcmp(parent, ".") != 0 &&
	    strcmp(parent, "/") != 0)
		rc = dir_make_parents(parent, mode, err, errlen);
	free(parent);
	if (rc != 0)
		return -1;
	if (mkdir(dir, mode) != 0) {
		if (errno == EEXIST)    /* made by someone else meanwhile: theirs */
			return 0;
		snprintf(err, errlen, "cannot create directory %s: %s", dir, strerror(errno));
		return -1;
	}
	/* mkdir applied the umask; the mode must not depend on it. */
	if (chmod(dir, mode) != 0) {
		snprintf(err, errlen, "cannot set the mode of %s: %s", dir, strerror(errno));
		return -1;
	}
	return 0;
}
