/*
 * args.c - the one option parser of the okra command line.
 *
 * Every command declares its options as a table (cli_option: long name,
 * short letter, value, whether it repeats) and args.c parses them with
 * getopt_long, so each command has -h/--help and --color, and every usage
 * error reads the same: an unknown option with the nearest one, a missing
 * value, a value given to a flag, an option given twice, an unexpected
 * argument.  Also the colour mode and -o FILE output.  Uses only okra.h.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Options every command takes besides its own. */
static const cli_option common_options[] = {
    {"help", 'h', NULL, false, "print this help and exit", NULL},
    {"color", 0, "[WHEN]", false,
     "colour the output: auto (a terminal, unless NO_COLOR is set), "
     "always or never",
     "auto always never"},
    {NULL, 0, NULL, false, NULL, NULL},
};

/* ---- colour ------------------------------------------------------------- */

static cli_color_mode color_mode = CLI_COLOR_AUTO;

int cli_set_color(const char *value, const char *command)
{
	static const char *const names[] = {"auto", "always", "never"};
	if (!value) {
		color_mode = CLI_COLOR_ALWAYS;
		return EXIT_OK;
	}
	for (int i = 0; i < 3; i++)
		if (strcmp(value, names[i]) == 0) {
			color_mode = (cli_color_mode)i;
			return EXIT_OK;
		}
	return cli_usage(
	    command, "--color takes auto, always or never, not '%s'", value);
}

bool cli_color(FILE *f)
{
	if (color_mode != CLI_COLOR_AUTO)
		return color_mode == CLI_COLOR_ALWAYS;
	const char *no = getenv("NO_COLOR");
	return isatty(fileno(f)) && !(no && no[0]);
}

/* ---- the parser --------------------------------------------------------- */

/* A negative number ("-3", "-.5") is an argument, never an option. */
static bool is_number_like(const char *s)
{
	return s[0] == '-' && ((s[1] >= '0' && s[1] <= '9') ||
	                       (s[1] == '.' && s[2] >= '0' && s[2] <= '9'));
}

static bool is_optional(const cli_option *o)
{
	return o->arg && o->arg[0] == '[';
}

/* The options of a command: its own, then the common ones. */
typedef struct table {
	const cli_option **all;
	size_t n;
} table;

static bool table_build(const cli_spec *spec, table *t)
{
	size_t n = 0;
	for (const cli_option *o = spec->options; o && o->name; o++)
		n++;
	t->all = calloc(n + sizeof(common_options) / sizeof(common_options[0]),
	                sizeof(*t->all));
	if (!t->all)
		return false;
	t->n = 0;
	for (const cli_option *o = spec->options; o && o->name; o++)
		t->all[t->n++] = o;
	for (const cli_option *o = common_options; o->name; o++)
		t->all[t->n++] = o;
	return true;
}

/* "--name" of a long option text "--name=value". */
static void option_name(const char *arg, char *out, size_t cap)
{
	size_t len = strcspn(arg, "=");
	snprintf(out, cap, "%.*s", (int)len, arg);
}

/* The usage error for an argument getopt_long did not accept. */
static int unknown(const cli *c, const table *t, const char *arg, int letter)
{
	const char *command = c->argv[0];
	if (letter)
		return cli_usage(command, "unknown option '-%c'", letter);
	char name[128];
	option_name(arg, name, sizeof(name));
	size_t len = strlen(name) - 2;
	/* A flag given a value, or an abbreviation of two options. */
	const cli_option *match[2] = {NULL, NULL};
	size_t n_match = 0;
	for (size_t i = 0; i < t->n; i++) {
		const cli_option *o = t->all[i];
		if (strcmp(o->name, name + 2) == 0 && !o->arg)
			return cli_usage(command,
			                 "option '%s' takes no value, not '%s'",
			                 name, arg + strlen(name) + 1);
		if (len && strncmp(o->name, name + 2, len) == 0) {
			if (n_match < 2)
				match[n_match] = o;
			n_match++;
		}
	}
	if (n_match > 1)
		return cli_usage(command,
		                 "option '%s' is ambiguous: '--%s' or '--%s'%s",
		                 name, match[0]->name, match[1]->name,
		                 n_match > 2 ? " or more" : "");
	const char **names = calloc(t->n + 1, sizeof(*names));
	char *texts = calloc(t->n + 1, 128);
	const char *near = NULL;
	if (names && texts) {
		for (size_t i = 0; i < t->n; i++) {
			snprintf(texts + 128 * i, 128, "--%s", t->all[i]->name);
			names[i] = texts + 128 * i;
		}
		near = okra_suggest(name, names, t->n);
	}
	int status =
	    near ? cli_usage(command, "unknown option '%s'; did you mean '%s'?",
	                     name, near)
	         : cli_usage(command, "unknown option '%s'", name);
	free(names);
	free(texts);
	return status;
}

/* The option getopt_long answered with val. */
static const cli_option *option_of(const table *t, int val)
{
	if (val >= 256 && (size_t)(val - 256) < t->n)
		return t->all[val - 256];
	for (size_t i = 0; i < t->n; i++)
		if (t->all[i]->letter == val)
			return t->all[i];
	return NULL;
}

/* Records one option; a second value of one that does not repeat is an
 * error. */
static int add_given(cli *c, cli_given *given, const cli_option *o,
                     const char *value)
{
	for (size_t i = 0; i < c->n_given && !o->repeats && o->arg; i++)
		if (given[i].option == o)
			return cli_usage(c->argv[0],
			                 "option '--%s' given twice ('%s' and "
			                 "'%s'): it takes one value",
			                 o->name,
			                 given[i].value ? given[i].value : "",
			                 value ? value : "");
	given[c->n_given++] = (cli_given){.option = o, .value = value};
	return EXIT_OK;
}

int cli_parse(cli *c, const cli_spec *spec, bool *done)
{
	*done = false;
	table t = {0};
	struct option *longs = NULL;
	char *shorts = NULL, **argv = NULL;
	bool *substituted = NULL;
	cli_given *given = NULL;
	const char **args = NULL;
	int status = EXIT_ERROR;
	size_t n_args = 0;
	if (!table_build(spec, &t))
		goto nomem;
	longs = calloc(t.n + 1, sizeof(*longs));
	shorts = calloc(3 * t.n + 4, 1);
	argv = calloc((size_t)c->argc + 1, sizeof(*argv));
	substituted = calloc((size_t)c->argc + 1, sizeof(*substituted));
	given = calloc((size_t)c->argc + 1, sizeof(*given));
	args = calloc((size_t)c->argc + 1, sizeof(*args));
	if (!longs || !shorts || !argv || !substituted || !given || !args)
		goto nomem;
	/* "-": positionals in order (no permutation); ":": missing values
	 * are reported, not printed by getopt. */
	char *s = shorts;
	*s++ = '-';
	*s++ = ':';
	for (size_t i = 0; i < t.n; i++) {
		const cli_option *o = t.all[i];
		longs[i] = (struct option){.name = o->name,
		                           .has_arg = !o->arg ? no_argument
		                                      : is_optional(o)
		                                          ? optional_argument
		                                          : required_argument,
		                           .val = 256 + (int)i};
		if (o->letter) {
			*s++ = o->letter;
			if (o->arg)
				*s++ = ':';
		}
	}
	/* A negative number would read as short options: getopt sees the
	 * number without its sign, and the argument is read back whole. */
	for (int i = 0; i < c->argc; i++) {
		argv[i] = c->argv[i];
		if (i > 0 && is_number_like(c->argv[i])) {
			argv[i] = c->argv[i] + 1;
			substituted[i] = true;
		}
	}
	opterr = 0;
	optind = 0; /* a fresh scan (GNU) */
	int ch;
	while ((ch = getopt_long(c->argc, argv, shorts, longs, NULL)) != -1) {
		int at = optind - 1;
		const char *value = optarg;
		if (value && at > 0 && at < c->argc && substituted[at] &&
		    value == argv[at])
			value = c->argv[at];
		if (ch == 1) {
			args[n_args++] = value;
			continue;
		}
		if (ch == '?') {
			status = unknown(
			    c, &t, at > 0 && at < c->argc ? c->argv[at] : "",
			    optopt > 0 && optopt < 256 ? optopt : 0);
			goto out;
		}
		if (ch == ':') {
			const cli_option *o = option_of(&t, optopt);
			if (o && o->letter && optopt == o->letter)
				status =
				    cli_usage(c->argv[0],
				              "option '-%c' needs a value (%s)",
				              o->letter, o->arg);
			else
				status = cli_usage(
				    c->argv[0],
				    "option '--%s' needs a value "
				    "(%s)",
				    o ? o->name : "?", o ? o->arg : "");
			goto out;
		}
		const cli_option *o = option_of(&t, ch);
		if (!o)
			continue;
		if (strcmp(o->name, "help") == 0) {
			cli_print_help(c->argv[0], stdout);
			*done = true;
			status = EXIT_OK;
			goto out;
		}
		if (strcmp(o->name, "color") == 0) {
			if ((status = cli_set_color(value, c->argv[0])))
				goto out;
			continue;
		}
		if ((status = add_given(c, given, o, value)))
			goto out;
	}
	for (int i = optind; i < c->argc; i++)
		args[n_args++] = c->argv[i];
	if (spec->max_args >= 0 && n_args > (size_t)spec->max_args) {
		status = cli_usage(c->argv[0], "unexpected argument '%s'",
		                   args[spec->max_args]);
		goto out;
	}
	c->given = given;
	c->args = args;
	c->n_args = n_args;
	given = NULL;
	args = NULL;
	status = EXIT_OK;
	goto out;
nomem:
	fputs("okra: out of memory\n", stderr);
	status = EXIT_ERROR;
out:
	if (status != EXIT_OK || *done)
		c->n_given = 0;
	free(given);
	free(args);
	free(substituted);
	free(argv);
	free(shorts);
	free(longs);
	free(t.all);
	return status;
}

void cli_parse_free(cli *c)
{
	free((void *)c->given);
	free((void *)c->args);
	c->given = NULL;
	c->args = NULL;
	c->n_given = c->n_args = 0;
}

const char *cli_value(const cli *c, const char *name)
{
	const char *v = NULL;
	for (size_t i = 0; i < c->n_given; i++)
		if (strcmp(c->given[i].option->name, name) == 0)
			v = c->given[i].value;
	return v;
}

bool cli_flag(const cli *c, const char *name)
{
	for (size_t i = 0; i < c->n_given; i++)
		if (strcmp(c->given[i].option->name, name) == 0)
			return true;
	return false;
}

size_t cli_values(const cli *c, const char *name, const char **out)
{
	size_t n = 0;
	for (size_t i = 0; i < c->n_given; i++)
		if (strcmp(c->given[i].option->name, name) == 0 &&
		    c->given[i].value)
			out[n++] = c->given[i].value;
	return n;
}

/* ---- -o FILE ------------------------------------------------------------ */

int cli_output_open(const char *path, const char *command, cli_output *o)
{
	*o = (cli_output){.f = stdout};
	if (!path || strcmp(path, "-") == 0)
		return EXIT_OK;
	if (!path[0])
		return cli_usage(command, "-o needs a file name, or - for "
		                          "standard output");
	size_t n = strlen(path) + 16;
	o->tmp = malloc(n);
	if (!o->tmp) {
		fputs("okra: out of memory\n", stderr);
		return EXIT_ERROR;
	}
	snprintf(o->tmp, n, "%s.tmp", path);
	o->f = fopen(o->tmp, "wb");
	if (!o->f) {
		fprintf(stderr, "okra: %s: error: cannot write: %s\n", path,
		        strerror(errno));
		free(o->tmp);
		*o = (cli_output){0};
		return EXIT_ERROR;
	}
	o->path = path;
	return EXIT_OK;
}

int cli_output_close(cli_output *o, int status)
{
	if (!o->path) {
		if (o->f && (fflush(o->f) != 0 || ferror(o->f)) &&
		    status == EXIT_OK) {
			fputs("okra: error: cannot write the output\n", stderr);
			status = EXIT_ERROR;
		}
		return status;
	}
	bool ok = ferror(o->f) == 0;
	ok = fclose(o->f) == 0 && ok;
	if (status == EXIT_OK && ok && rename(o->tmp, o->path) == 0) {
		fprintf(stderr, "okra: wrote %s\n", o->path);
	} else {
		remove(o->tmp);
		if (status == EXIT_OK) {
			fprintf(stderr, "okra: %s: error: cannot write: %s\n",
			        o->path, strerror(errno));
			status = EXIT_ERROR;
		}
	}
	free(o->tmp);
	*o = (cli_output){0};
	return status;
}
