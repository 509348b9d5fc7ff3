/* term: start and stop curses; flags set by signal handlers. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include <curses.h>
#include "app.h"
#include "term.h"
/* Last: its capability macros (lines, columns...) would break app.h; and
 * not <term.h>, which -Itui resolves to ours. */
#include <ncursesw/term.h>

static volatile sig_atomic_t got_winch;
static volatile sig_atomic_t got_quit;

static struct termios saved_tio;
static bool have_tio;
static SCREEN *screen;
static WINDOW *input_pad;
/* What a crash handler writes to leave the alternate screen and show the
 * cursor: captured from terminfo at start, written with write(2). */
static char crash_seq[64];
static size_t crash_len;

static void on_winch(int sig)
{
	(void)sig;
	got_winch = 1;
}

static void on_quit(int sig)
{
	got_quit = sig;
}

static void on_crash(int sig)
{
	/* Only async-signal-safe calls here. */
	if (have_tio)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
	if (crash_len)
		(void)!write(STDOUT_FILENO, crash_seq, crash_len);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void handle(int sig, void (*fn)(int))
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;   /* no SA_RESTART: poll() must wake up */
	sigaction(sig, &sa, NULL);
}

static void add_cap(const char *name)
{
	char *s = tigetstr((char *)name);
	if (!s || s == (char *)-1)
		return;
	size_t n = strlen(s);
	if (crash_len + n < sizeof crash_seq) {
		memcpy(crash_seq + crash_len, s, n);
		crash_len += n;
	}
}

WINDOW *term_start(bool *colour, char *err, size_t errlen)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		snprintf(err, errlen, "the interactive mode needs a terminal "
			 "(use a subcommand for scripts: okaya-privacy --help)");
		return NULL;
	}
	have_tio = tcgetattr(STDIN_FILENO, &saved_tio) == 0;
	/* Installed before curses starts, so curses keeps ours and does not
	 * install its own (which would exit from inside the handler). */
	handle(SIGWINCH, on_winch);
	handle(SIGINT, on_quit);
	handle(SIGTERM, on_quit);
	handle(SIGHUP, on_quit);
	handle(SIGQUIT, on_quit);
	signal(SIGPIPE, SIG_IGN);
	/* A config or history write past the file-size limit fails with EFBIG
	 * and is reported; it must not kill the process with the screen up. */
	signal(SIGXFSZ, SIG_IGN);
	handle(SIGSEGV, on_crash);
	handle(SIGBUS, on_crash);
	handle(SIGFPE, on_crash);
	handle(SIGILL, on_crash);
	handle(SIGABRT, on_crash);

	const char *term = getenv("TERM");
	/* Look the terminal up first, without touching it: a terminal that
	 * cannot place the cursor (TERM=dumb) would get a blank screen. */
	int terr = 0;
	if (!term || !*term || setupterm(term, STDOUT_FILENO, &terr) != OK) {
		snprintf(err, errlen, "cannot use terminal type \"%s\"; "
			 "use the command line instead: okaya-privacy set ... (see --help)",
			 term ? term : "");
		return NULL;
	}
	char *cup = tigetstr("cup");
	bool addressable = cup && cup != (char *)-1;
	del_curterm(cur_term);
	if (!addressable) {
		snprintf(err, errlen, "the terminal \"%s\" cannot move the cursor, so the "
			 "interactive screen cannot run; use the command line instead: "
			 "okaya-privacy set ... (see --help)", term);
		return NULL;
	}
	screen = newterm(term, stdout, stdin);
	if (!screen) {
		snprintf(err, errlen, "cannot use terminal type \"%s\"; "
			 "use the command line instead: okaya-privacy set ... (see --help)", term);
		return NULL;
	}
	set_term(screen);
	crash_len = 0;
	add_cap("rmcup");
	add_cap("cnorm");
	add_cap("sgr0");
	static const char paste_off[] = "\033[?2004l";
	if (crash_len + sizeof paste_off - 1 < sizeof crash_seq) {
		memcpy(crash_seq + crash_len, paste_off, sizeof paste_off - 1);
		crash_len += sizeof paste_off - 1;
	}

	cbreak();
	noecho();
	nonl();
	set_escdelay(25);
	keypad(stdscr, TRUE);
	curs_set(0);

	const char *nc = getenv("NO_COLOR");
	*colour = (!nc || !*nc) && has_colors();
	if (*colour) {
		start_color();
		use_default_colors();
		init_pair(PAIR_OK, COLOR_GREEN, -1);
		init_pair(PAIR_ERR, COLOR_RED, -1);
		init_pair(PAIR_TITLE, COLOR_BLACK, COLOR_CYAN);
		init_pair(PAIR_DIM, COLOR_BLUE, -1);
	}
	input_pad = newpad(1, 1);
	if (!input_pad) {
		term_stop();
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	keypad(input_pad, TRUE);
	nodelay(input_pad, TRUE);
	/* Bracketed paste: a paste arrives between two markers, so its line
	 * breaks and letters never act as keys. Terminals that do not know the
	 * mode ignore it. */
	define_key("\033[200~", TERM_KEY_PASTE_BEGIN);
	define_key("\033[201~", TERM_KEY_PASTE_END);
	putp("\033[?2004h");
	fflush(stdout);   /* putp goes through stdio, not curses' buffer */
	return input_pad;
}

void term_stop(void)
{
	if (!screen)
		return;
	if (input_pad)
		delwin(input_pad);
	input_pad = NULL;
	putp("\033[?2004l");
	fflush(stdout);
	curs_set(1);
	endwin();
	/* No delscreen(): libpanel's hidden panel for stdscr would then be left
	 * unreachable (distribution builds free it only with NO_LEAKS); the
	 * process ends right after this anyway. */
	screen = NULL;
	/* endwin restores the modes it saved; ours were saved before it ran. */
	if (have_tio)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
	signal(SIGWINCH, SIG_DFL);
	fflush(stdout);
}

bool term_take_resize(void)
{
	if (!got_winch)
		return false;
	got_winch = 0;
	return true;
}

int term_take_quit(void)
{
	return got_quit;
}

void term_apply_size(void)
{
	struct winsize ws;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
		resize_term(ws.ws_row, ws.ws_col);
	/* Everything is drawn again from state. */
	clearok(curscr, TRUE);
}
