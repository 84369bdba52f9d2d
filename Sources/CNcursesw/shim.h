#ifndef CNCURSESW_SHIM_H
#define CNCURSESW_SHIM_H
#define NCURSES_WIDECHAR 1     /* REQUIRED: exposes mvaddwstr/add_wch/setcchar/get_wch/cchar_t */
#include <ncursesw/curses.h>
#include <wchar.h>
/* Swift 6 rejects reads of C mutable globals (stdscr, LINES, COLS, ESCDELAY, stdin/stdout/stderr) */
static inline WINDOW *nc_stdscr(void) { return stdscr; }
static inline int nc_lines(void) { return LINES; }
static inline int nc_cols(void)  { return COLS; }
/* attribute macros built with NCURSES_BITS() are not imported */
static const attr_t NC_A_BOLD = A_BOLD, NC_A_REVERSE = A_REVERSE, NC_A_UNDERLINE = A_UNDERLINE,
                    NC_A_DIM = A_DIM, NC_A_ITALIC = A_ITALIC;
static inline attr_t nc_color_pair(short n) { return COLOR_PAIR(n); }
/* ACS_x / WACS_x are function-like macro expansions: not imported */
static inline chtype nc_acs(char c) { return NCURSES_ACS(c); }          /* 'q' HLINE, 'x' VLINE, 'l' 'k' 'm' 'j' corners */
static inline const cchar_t *nc_wacs(char c) { return NCURSES_WACS(c); }
/* glibc declares wcwidth only under _XOPEN_SOURCE, which the Glibc module lacks */
extern int wcwidth(wchar_t c);
extern int wcswidth(const wchar_t *s, size_t n);
static const mmask_t NC_ALL_MOUSE_EVENTS = ALL_MOUSE_EVENTS, NC_BUTTON1_CLICKED = BUTTON1_CLICKED;
#endif
