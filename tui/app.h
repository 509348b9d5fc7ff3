/* app: the TUI's state and the functions its screens share.
 *
 * Every screen draws from this state alone, so a resize is "destroy the
 * widgets, recompute sizes, build and draw again". Widgets (libform fields,
 * libmenu menus, libpanel overlays) are views; what they hold is copied back
 * into the state before they are destroyed. */
#ifndef OKAYA_TUI_APP_H
#define OKAYA_TUI_APP_H

#include <stdbool.h>
#include <time.h>
#include <wchar.h>
#include <curses.h>
#include <panel.h>
#include "api.h"
#include "config.h"
#include "escape.h"
#include "engine.h"
#include "flags.h"
#include "target.h"

#define MIN_COLS 60
#define MIN_ROWS 16

enum focus { FOCUS_KIND, FOCUS_ID, FOCUS_FLAGS, FOCUS_SEND, FOCUS_COUNT };

enum overlay { OV_NONE, OV_REVIEW, OV_RECENTS, OV_SETTINGS, OV_HELP, OV_BODY,
	       OV_GROUPS, OV_HISTORY, OV_EMAIL, OV_COUNT };

/* Where the form's ticks came from, for the loaded target. */
enum basis { BASIS_NONE, BASIS_SERVER, BASIS_LOCAL };

/* Why a read (GET) is in flight. */
enum fetch_why { FETCH_LOAD, FETCH_GROUP_LIST, FETCH_NAMES };

/* Colour pairs; with NO_COLOR (or no colour terminal) they are never used
 * and every state is also spelled out in text. */
enum { PAIR_OK = 1, PAIR_ERR, PAIR_TITLE, PAIR_DIM };

struct lineedit;
struct recents_view;
struct settings_view;
struct pager;
struct groups_view;
struct hist_view;

struct app {
	struct config *cfg;
	struct engine *eng;
	char eng_err[256];          /* why there is no engine, when eng is NULL */

	/* Main form. */
	enum target_kind kind;
	char id[PARTICIPANT_ID_MAX + 1]; /* last synced text of the ID field */
	level_t level;
	int flag_cur;
	enum focus focus;
	char note[320];             /* inline line under the ID: reason or hint */
	bool note_error;

	/* The target last loaded into the form and what its ticks are. */
	struct target loaded;
	bool has_loaded;
	enum basis basis;
	level_t basis_level;        /* the server's or this machine's last sent */
	time_t basis_read;          /* when the server's level was read (BASIS_SERVER) */
	bool flags_touched;         /* ticked by hand since the load */
	bool load_notice;           /* loaded by a send: keep "check the flags" shown */

	/* The read in flight (fetch_id > 0), beside any write. One at a time. */
	long fetch_id;
	enum fetch_why fetch_why;
	struct target fetch_target;
	struct timespec fetch_start;
	bool send_waiting;          /* F5 waits for this load before the review */

	/* GET /groups, kept for names and the Groups overlay (keys dropped). */
	struct group_info *groups;
	size_t n_groups;
	bool groups_loaded;

	/* GET /participants/{id} of the loaded participant, shown in the panel
	 * instead of the last answer while panel_info is set. */
	struct target info_target;
	struct membership *members;
	size_t n_members;
	char info_head[320];
	bool info_error;
	bool panel_info;

	/* The write in flight (req_id > 0): set or notify, and the last answer. */
	long req_id;
	bool req_cancelled;         /* Esc after it started: it may have applied */
	bool req_notify;
	bool req_has_before;
	bool req_before_server;     /* req_before was read from the server */
	level_t req_before;
	struct timespec req_start;
	struct target req_target;
	level_t req_level;
	unsigned spin;
	struct result *last;
	char **last_lines;          /* its body as display lines, made once */
	size_t n_last_lines;
	struct target last_target;
	level_t last_level;
	bool last_notify;
	char after_note[320];       /* saved to recents / save failed */
	bool after_error;

	/* The one overlay shown above the form, and its state. */
	enum overlay overlay;
	struct target review_target;
	level_t review_level;
	WINDOW *review_win;
	PANEL *review_panel;
	struct recents_view *recents;
	struct settings_view *settings;
	struct pager *pager;
	struct groups_view *groups_view;
	struct hist_view *hist;
	struct target email_target;
	bool email_yes;
	level_t email_added;       /* the flags the change added */
	WINDOW *email_win;
	PANEL *email_panel;

	/* A bracketed paste being received: text only, applied at its end. */
	bool pasting;
	char paste[4096];
	size_t paste_len;
	bool paste_over;            /* longer than paste[] holds */

	/* Widgets of the main form. */
	struct lineedit *id_edit;

	int rows, cols;
	bool too_small;
	bool colour;
	bool key_file;              /* the key came from --api-key-file (via the env) */
	bool quit;
	bool quit_ask;              /* "a request is in flight: quit anyway? y/N" */
	int exit_code;
};

/* ---- tui/draw.c: small drawing helpers ---- */
/* Writes s (UTF-8) at y,x, clipped to width columns; returns columns used. */
int draw_text(WINDOW *w, int y, int x, const char *s, int width);
/* Writes s over up to max_lines lines of width columns; returns lines used. */
int draw_wrap(WINDOW *w, int y, int x, const char *s, int width, int max_lines);
/* Same as draw_text after escaping control characters (for text from the server). */
int draw_untrusted(WINDOW *w, int y, int x, const char *s, int width);
/* Attribute for a colour pair, or A_NORMAL-ish fallback without colour. */
attr_t app_attr(const struct app *a, int pair);
/* Centered box frame with a title on a window. */
void draw_frame(WINDOW *w, const char *title);
/* Copies s clipped to cols columns and padded with spaces to exactly cols. */
void text_fit(char *out, size_t outlen, const char *s, int cols);
/* Display width of a UTF-8 string, as draw_text shows it. */
int text_width(const char *s);
/* One character of s (left > 0 bytes): sets *wc and its columns *cw, and
 * returns its length in bytes. A byte that starts no valid character, or a
 * character without a width, comes out as one '?' one column wide. */
size_t text_next(const char *s, size_t left, mbstate_t *st, wchar_t *wc, int *cw);
/* url with the password of a "user:password@" part as "***", for the screen. */
void url_for_display(const char *url, char *out, size_t outlen);

/* Where a key not from the config came from: " (--api-key-file)", " (env)" or "". */
const char *app_key_source(const struct app *a);

/* ---- tui/mainscr.c: the main form and response panel ---- */
void mainscr_build(struct app *a);
void mainscr_destroy(struct app *a);
void mainscr_draw(struct app *a);
void mainscr_key(struct app *a, bool fkey, wint_t ch);
void mainscr_sync_id(struct app *a);   /* field text -> a->id */
void mainscr_load(struct app *a, enum target_kind kind, const char *id, bool with_level);
void mainscr_cursor(struct app *a);
/* Moves the focus to the flag list (no load: the caller just loaded). */
void mainscr_focus_flags(struct app *a);
/* A group from GET /groups into the form, its current level ticked. */
void mainscr_load_group(struct app *a, const struct group_info *g);
/* The ID field's text differs from the loaded target: load it (on leaving the field). */
void mainscr_load_typed(struct app *a);
/* The ID field refused text that would pass the limit: says so inline. */
void mainscr_refuse_long(struct app *a);

/* ---- tui/fetch.c: reads (GET) through the same engine ---- */
/* Starts reading the current state of t for the form (GET /groups or
 * GET /participants/{id}); cancels a read in flight. */
void fetch_load(struct app *a, const struct target *t);
/* Starts GET /groups for the Groups overlay (or for names). 0 or -1 (note set). */
int fetch_groups(struct app *a, enum fetch_why why);
void fetch_cancel(struct app *a);
/* The form's kind or ID changed: a load in flight is for another target now;
 * cancels it quietly (its answer is dropped). */
void fetch_drop_load(struct app *a);
/* True when the form's kind and ID field name t. */
bool form_names(struct app *a, const struct target *t);
/* A finished read; tag as given to engine_start. */
void fetch_finish(struct app *a, struct result *r, void *tag);
/* Takes a finished result off the engine and routes it (loop and teardown). */
void app_take(struct app *a, struct result *r, void *tag);
/* Waits for what is in flight after cancelling it, freeing tags (teardown). */
void app_drain(struct app *a);
/* "required", "not required" or "unknown" (the server sent neither). */
const char *consent_text(const struct group_info *g);
const struct group_info *groups_find(const struct app *a, const char *id);
void info_free(struct app *a);
/* The participant info as panel lines (escaped); count in *n. */
void info_draw(struct app *a, WINDOW *w, int top, int height);

/* ---- tui/audit.c: the history file ---- */
/* Appends the line for a finished write; a failure lands in a->after_note. */
void audit_record(struct app *a, const struct result *r);

/* ---- tui/response.c ---- */
void response_draw(struct app *a, WINDOW *w, int top, int height);
/* What to do next for a result, or NULL. */
const char *response_hint(const struct result *r);
/* The body as display lines (pretty JSON, or raw text), escaped. */
char **response_body_lines(const struct result *r, size_t *n);
void response_lines_free(char **lines, size_t n);

/* ---- tui/send.c ---- */
/* Validates the form; on success opens the review or sends. */
void send_request(struct app *a);
/* Sends what the review shows (or the form, review off). */
void send_now(struct app *a, const struct target *t, level_t level);
/* Sends the privacyRequest email to t (after the prompt's yes). */
void send_notify(struct app *a, const struct target *t);
void send_cancel(struct app *a);
void send_finish(struct app *a, struct result *r);
double send_elapsed_ms(const struct app *a);
/* Applies the config to the engine; creates it first when create is set
 * (the first send). 0, or -1 with a->eng_err set. */
int send_engine_setup(struct app *a, bool create);

/* ---- overlays: each has open/build/destroy/draw/key ---- */
struct overlay_ops {
	void (*build)(struct app *a);     /* create windows for the current size */
	void (*destroy)(struct app *a);   /* remove windows, keep state */
	void (*draw)(struct app *a);
	void (*key)(struct app *a, bool fkey, wint_t ch);
	void (*close)(struct app *a);     /* free the state too */
	void (*cursor)(struct app *a);    /* place the terminal cursor, or NULL */
};
extern const struct overlay_ops review_ops, recents_ops, settings_ops, help_ops, body_ops,
	groups_ops, history_ops, email_ops;

void overlay_open(struct app *a, enum overlay which);
/* State for each overlay, created before it is built (pager.c, recents.c, settings.c). */
void pager_open_help(struct app *a);
void pager_open_body(struct app *a);
void recents_open(struct app *a);
void settings_open(struct app *a);
void groups_open(struct app *a);
/* Starts GET /groups once the Groups overlay is up (overlay_open). */
void groups_start(struct app *a);
void history_open(struct app *a);
/* The groups overlay learns that GET /groups finished (a->groups set or not). */
void groups_loaded(struct app *a, const char *error);
void overlay_close(struct app *a);

/* Overlay sizes: a centered window of at most h x w inside the screen. */
WINDOW *overlay_window(struct app *a, int h, int w, PANEL **panel);
/* Its undoing: deletes the panel, then the window, and sets both to NULL.
 * Either may already be NULL. */
void overlay_window_free(WINDOW **win, PANEL **panel);

/* ---- tui/app.c ---- */
void app_layout(struct app *a);   /* destroy + build everything for the size */
void app_redraw(struct app *a);   /* draw everything from state */
void app_key(struct app *a, bool fkey, wint_t ch);
void app_teardown(struct app *a); /* frees every widget and overlay state */

/* ---- tui/paste.c: bracketed paste ---- */
/* Takes the keys between the paste markers; true when the key was one
 * (a marker or pasted text), so app_key must not act on it. */
bool paste_key(struct app *a, bool fkey, wint_t ch);
/* Settings' share: the paste for its focused field (settings.c). */
void settings_paste(struct app *a, const char *text);
/* A message in the Settings box (keys that would lose what is typed). */
void settings_notice(struct app *a, const char *msg);

#endif
