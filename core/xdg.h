/* xdg: where per-user files live, following the XDG base directory rules. */
#ifndef OKAYA_XDG_H
#define OKAYA_XDG_H

/* The path for one of our files: the environment variable `override` when
 * set (e.g. OKAYA_CONFIG), else $`xdg_var`/subpath when that variable holds
 * an absolute path (relative ones are invalid per XDG), else
 * $HOME/`home_dir`/subpath (HOME from the password database when unset).
 * malloc'd; NULL when no home can be found or memory ran out. */
char *xdg_file_path(const char *override, const char *xdg_var, const char *home_dir,
		    const char *subpath);

#endif
