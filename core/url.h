/* url: small facts about URLs that curl's parser does not hand back. */
#ifndef OKAYA_URL_H
#define OKAYA_URL_H

#include <stddef.h>

/* The "user:password" part of url (before the last '@' of the authority),
 * with its length in *len; NULL when the URL has none. Points into url. */
const char *url_userinfo(const char *url, size_t *len);

#endif
