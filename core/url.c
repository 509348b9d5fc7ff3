/* url: finding credentials in a URL, to keep them out of logs and screens. */
#include "url.h"

#include <string.h>

const char *url_userinfo(const char *url, size_t *len)
{
	const char *host = strstr(url, "://");
	host = host ? host + 3 : url;
	size_t auth = strcspn(host, "/?#");
	const char *at = NULL;
	for (const char *p = host; p < host + auth; p++)
		if (*p == '@')
			at = p;
	if (!at)
		return NULL;
	*len = (size_t)(at - host);
	return host;
}
