/* server: the HTTP side of okaya-sandbox, on libmicrohttpd.
 *
 * One thread per connection, so a delayed answer (--delay-ms) holds only
 * its own connection. The URL is taken raw (no unescaping by MHD); routes
 * decode the ID segment themselves. The server borrows state, faults and
 * log; they must outlive server_stop(). */
#ifndef SANDBOX_SERVER_H
#define SANDBOX_SERVER_H

#include <stddef.h>
#include "faults.h"
#include "reqlog.h"
#include "state.h"

struct server;

/* Listens on bind_addr (IPv4 or IPv6 literal) and port (0 = any free one).
 * Returns the running server, or NULL with a message. */
struct server *server_start(const char *bind_addr, unsigned port, struct state *st,
			    struct faults *faults, struct reqlog *log,
			    char *err, size_t errlen);

/* The port actually bound. */
unsigned server_port(const struct server *sv);

/* Stops accepting, finishes the connections and frees the server. */
void server_stop(struct server *sv);

#endif
