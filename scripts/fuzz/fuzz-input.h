/*
 * fuzz-input.h: the fuzz input as a file the reader opens, in memory (a
 * memfd: no file system touched, and a path the reader opens as any
 * other).  Included by the drivers that read files.
 */
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lead.h"

/* A reader over data[0..size), with the memfd in *fd; NULL if the input
 * cannot be one (the reader says why).  Close both. */
static inline struct lead_reader *
fuzz_reader(const unsigned char *data, size_t size,
    const struct lead_inopts *o, int *fd)
{
	struct lead_reader *r;
	char path[64];

	if ((*fd = memfd_create("fuzz", 0)) < 0)
		return NULL;
	if (write(*fd, data, size) != (ssize_t)size) {
		close(*fd);
		return NULL;
	}
	snprintf(path, sizeof path, "/proc/self/fd/%d", *fd);
	if ((r = lead_reader_open(path, o)) == NULL)
		close(*fd);
	return r;
}

/* Run fn over a reader of the input after its first byte, which picks
 * one of the n dialects. */
static inline void
fuzz_read(const unsigned char *data, size_t size,
    const struct lead_inopts *dialects, size_t n,
    void (*fn)(struct lead_reader *))
{
	struct lead_reader *rd;
	int fd;

	if (size == 0)
		return;
	if ((rd = fuzz_reader(data + 1, size - 1, &dialects[data[0] % n],
	    &fd)) == NULL)
		return;
	fn(rd);
	lead_reader_close(rd);
	close(fd);
}
