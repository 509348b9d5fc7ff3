/* okaya-sandbox: placeholder until the server lands. */
#include <stdio.h>

int main(void)
{
	puts("okaya-sandbox");
	return 0;
}
