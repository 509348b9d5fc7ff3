/* main: okaya-privacy's entry point (placeholder until the CLI dispatcher
 * lands: it only opens the TUI, which handles its own options). */
#include "tui.h"

int main(int argc, char **argv)
{
	return tui_main(argc, argv);
}
