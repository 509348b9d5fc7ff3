/* main: okaya-privacy's entry point (placeholder until the front ends land). */
#include <stdio.h>

int main(void)
{
	puts("okaya-privacy " OKAYA_VERSION);
	return 0;
}
