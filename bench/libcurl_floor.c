/* libcurl_floor: the smallest program that makes one request with the
 * system's libcurl, then prints its resident memory. It is the floor under
 * any libcurl client's RSS (shared library pages of libcurl, OpenSSL and
 * their dependencies), for comparison in bench/tui_startup.sh. */
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

static size_t discard(char *data, size_t size, size_t n, void *user)
{
	(void)data;
	(void)user;
	return size * n;
}

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	CURL *c = curl_easy_init();
	curl_easy_setopt(c, CURLOPT_URL, argv[1]);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_perform(c);
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	while (f && fgets(line, sizeof line, f))
		if (strncmp(line, "VmRSS:", 6) == 0)
			printf("%s", line + 6);
	if (f)
		fclose(f);
	curl_easy_cleanup(c);
	curl_global_cleanup();
	return 0;
}
