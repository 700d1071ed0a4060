/*
 * cmd_completion.c - okra completion bash|zsh|fish: the shell completion
 * scripts, generated from the command table and each command's option
 * table (the ones the parser uses), so they complete exactly what okra
 * accepts.  Ids of the workspace (metrics, key results, trees, ...) come
 * from `okra list KIND --ids` when the user presses tab.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

const cli_spec cli_spec_completion = {NULL, 1, "bash zsh fish"};

/* The part of a ';'-separated args_complete for position k (the last
 * part for later positions); "" when none. */
static void position_hint(const char *spec, size_t k, char *out, size_t cap)
{
	out[0] = '\0';
	if (!spec)
		return;
	const char *p = spec;
	for (size_t i = 0; i < k && strchr(p, ';'); i++)
		p = strchr(p, ';') + 1;
	snprintf(out, cap, "%.*s", (int)strcspn(p, ";"), p);
}

static size_t n_positions(const char *spec)
{
	size_t n = 1;
	for (const char *p = spec; p && *p; p++)
		n += *p == ';';
	return spec ? n : 0;
}

/* A description safe inside single quotes and zsh's [...] and :...: */
static void safe(const char *s, FILE *out)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '\'':
		case '"':
		case '\\':
		case '`':
		case '$':
			break;
		case '[':
			fputc('(', out);
			break;
		case ']':
			fputc(')', out);
			break;
		case ':':
			fputc(',', out);
			break;
		case '\n':
			fputc(' ', out);
			break;
		default:
			fputc(*s, out);
		}
	}
}

/* The first sentence of a command's help, at most about 60 characters:
 * its description in a menu. */
static void summary(const char *command, FILE *out)
{
	const char *text = cli_help_text(command);
	char s[80];
	size_t n = 0;
	for (const char *p = text ? text : ""; *p && n + 1 < sizeof(s); p++) {
		if (*p == '.' && (p[1] == ' ' || p[1] == '\n' || !p[1]))
			break;
		s[n++] = *p == '\n' ? ' ' : *p;
	}
	s[n] = '\0';
	if (n > 60) {
		s[60] = '\0';
		char *sp = strrchr(s, ' ');
		if (sp)
			*sp = '\0';
	}
	safe(s, out);
}

static bool takes_separate_value(const cli_option *o)
{
	return o->arg && o->arg[0] != '[';
}

/* ---- bash -----------------------------------------------------------------
 */

static void bash_command(const cli_command *cmd, FILE *out)
{
	const cli_spec *spec = cmd->spec;
	fprintf(out, "\t%s)\n\t\topts='", cmd->name);
	for (const cli_option *o = spec->options; o && o->name; o++) {
		if (o->letter)
			fprintf(out, "-%c ", o->letter);
		fprintf(out, "--%s%s ", o->name,
		        o->arg && o->arg[0] == '[' ? "=" : "");
	}
	fputs("--help --color='\n\t\tvalues='", out);
	for (const cli_option *o = spec->options; o && o->name; o++)
		if (takes_separate_value(o)) {
			if (o->letter)
				fprintf(out, "-%c ", o->letter);
			fprintf(out, "--%s ", o->name);
		}
	fputs("'\n\t\tcase $opt in\n", out);
	for (const cli_option *o = spec->options; o && o->name; o++) {
		if (!o->arg || !o->complete)
			continue;
		fputs("\t\t", out);
		if (o->letter)
			fprintf(out, "-%c|", o->letter);
		fprintf(out, "--%s) _okra_words '%s' \"$dir\"; return ;;\n",
		        o->name, o->complete);
	}
	fprintf(out, "\t\tesac\n\t\targs='%s' ;;\n",
	        spec->args_complete ? spec->args_complete : "");
}

static void write_bash(FILE *out)
{
	size_t n = 0;
	const cli_command *cmds = cli_commands(&n);
	fprintf(out,
	        "# bash completion for okra %s, made by `okra completion "
	        "bash`.\n"
	        "# Load it with: source <(okra completion bash)\n\n",
	        okra_version());
	fputs("_okra_ids() {\n"
	      "\tokra ${1:+-C \"$1\"} list \"$2\" --ids 2>/dev/null\n"
	      "}\n\n",
	      out);
	fputs("# _okra_words HINT DIR: the words HINT stands for, into "
	      "COMPREPLY.\n"
	      "_okra_words() {\n\tlocal words\n\tcase $1 in\n"
	      "\t@file) COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n"
	      "\t@dir) COMPREPLY=($(compgen -d -- \"$cur\")); return ;;\n"
	      "\t@metric) words=$(_okra_ids \"$2\" metrics) ;;\n"
	      "\t@key-result) words=$(_okra_ids \"$2\" key-results) ;;\n"
	      "\t@tree) words=$(_okra_ids \"$2\" trees) ;;\n"
	      "\t@experiment) words=$(_okra_ids \"$2\" experiments) ;;\n"
	      "\t@team) words=$(_okra_ids \"$2\" teams) ;;\n"
	      "\t@rule) words='",
	      out);
	for (size_t i = 0; i < okra_rule_count(); i++)
		fprintf(out, "%s%s", i ? " " : "", okra_rule_at(i)->id);
	fputs("' ;;\n\t@command) words='", out);
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%s%s", i ? " " : "", cmds[i].name);
	fputs("' ;;\n\t*) words=$1 ;;\n\tesac\n"
	      "\tCOMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n}\n\n",
	      out);
	fputs("_okra() {\n"
	      "\tlocal cur=${COMP_WORDS[COMP_CWORD]} "
	      "prev=${COMP_WORDS[COMP_CWORD-1]}\n"
	      "\tlocal i=1 cmd= dir= at=0 opt= w\n"
	      "\t# okra's own options, then the command\n"
	      "\twhile [ \"$i\" -lt \"$COMP_CWORD\" ]; do\n"
	      "\t\tw=${COMP_WORDS[i]}\n"
	      "\t\tcase $w in\n"
	      "\t\t-C) dir=${COMP_WORDS[i+1]}; i=$((i + 2)); continue ;;\n"
	      "\t\t-C?*) dir=${w#-C} ;;\n"
	      "\t\t-*|=) ;;\n"
	      "\t\t*) [ \"${COMP_WORDS[i-1]}\" = = ] || { cmd=$w; at=$i; "
	      "break; } ;;\n"
	      "\t\tesac\n"
	      "\t\ti=$((i + 1))\n"
	      "\tdone\n"
	      "\t# The option whose value is being typed: -o FILE, "
	      "--format=x (bash\n"
	      "\t# splits at '=').\n"
	      "\tif [ \"$cur\" = = ]; then opt=$prev; cur=\n"
	      "\telif [ \"$prev\" = = ]; then "
	      "opt=${COMP_WORDS[COMP_CWORD-2]}\n"
	      "\telse opt=$prev; fi\n"
	      "\tif [ -z \"$cmd\" ]; then\n"
	      "\t\tcase $opt in\n"
	      "\t\t-C) COMPREPLY=($(compgen -d -- \"$cur\")); return ;;\n"
	      "\t\t--color) _okra_words 'auto always never'; return ;;\n"
	      "\t\tesac\n"
	      "\t\tcase $cur in\n"
	      "\t\t-*) COMPREPLY=($(compgen -W '-C --color= --help "
	      "--version' -- \"$cur\")) ;;\n"
	      "\t\t*) _okra_words @command ;;\n"
	      "\t\tesac\n"
	      "\t\t[[ ${COMPREPLY[0]} == *= ]] && compopt -o nospace\n"
	      "\t\treturn\n"
	      "\tfi\n"
	      "\tlocal opts= values= args=\n"
	      "\tcase $opt in\n"
	      "\t--color) _okra_words 'auto always never'; return ;;\n"
	      "\tesac\n"
	      "\tcase $cmd in\n",
	      out);
	for (size_t i = 0; i < n; i++)
		if (cmds[i].spec)
			bash_command(&cmds[i], out);
	fputs("\t*) opts='--help --color=' ;;\n"
	      "\tesac\n"
	      "\tif [ \"$prev\" = = ] || [ \"$cur\" = \"\" -a \"${COMP_WORDS"
	      "[COMP_CWORD]}\" = = ]; then\n"
	      "\t\tCOMPREPLY=(); return\n"
	      "\tfi\n"
	      "\tcase $cur in\n"
	      "\t-*) COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
	      "\t\t[[ ${COMPREPLY[0]} == *= ]] && compopt -o nospace\n"
	      "\t\treturn ;;\n"
	      "\tesac\n"
	      "\t# a value with nothing to complete (--asof D)\n"
	      "\tcase \" $values \" in *\" $prev \"*) COMPREPLY=(); return ;; "
	      "esac\n"
	      "\t# which positional this is: count those before it\n"
	      "\tlocal n=0 j=$((at + 1))\n"
	      "\twhile [ \"$j\" -lt \"$COMP_CWORD\" ]; do\n"
	      "\t\tw=${COMP_WORDS[j]}\n"
	      "\t\tif [ \"${COMP_WORDS[j+1]}\" = = ]; then j=$((j + 3)); "
	      "continue; fi\n"
	      "\t\tcase \" $values \" in *\" $w \"*) j=$((j + 2)); continue ;; "
	      "esac\n"
	      "\t\tcase $w in -*) ;; *) n=$((n + 1)) ;; esac\n"
	      "\t\tj=$((j + 1))\n"
	      "\tdone\n"
	      "\tlocal part=$args\n"
	      "\twhile [ \"$n\" -gt 0 ] && [ \"${part#*;}\" != \"$part\" ]; "
	      "do\n"
	      "\t\tpart=${part#*;}; n=$((n - 1))\n"
	      "\tdone\n"
	      "\t_okra_words \"${part%%;*}\" \"$dir\"\n"
	      "}\n\n"
	      "complete -F _okra okra\n",
	      out);
}

/* ---- zsh ------------------------------------------------------------------
 */

/* The _arguments action of a completion hint. */
static void zsh_action(const char *hint, FILE *out)
{
	size_t n = 0;
	const cli_command *cmds = cli_commands(&n);
	if (!hint || !hint[0])
		fputs(" ", out);
	else if (strcmp(hint, "@file") == 0)
		fputs("_files", out);
	else if (strcmp(hint, "@dir") == 0)
		fputs("_files -/", out);
	else if (strcmp(hint, "@metric") == 0)
		fputs("_okra_ids metrics", out);
	else if (strcmp(hint, "@key-result") == 0)
		fputs("_okra_ids key-results", out);
	else if (strcmp(hint, "@tree") == 0)
		fputs("_okra_ids trees", out);
	else if (strcmp(hint, "@experiment") == 0)
		fputs("_okra_ids experiments", out);
	else if (strcmp(hint, "@team") == 0)
		fputs("_okra_ids teams", out);
	else if (strcmp(hint, "@rule") == 0) {
		fputc('(', out);
		for (size_t i = 0; i < okra_rule_count(); i++)
			fprintf(out, "%s%s", i ? " " : "", okra_rule_at(i)->id);
		fputc(')', out);
	} else if (strcmp(hint, "@command") == 0) {
		fputc('(', out);
		for (size_t i = 0; i < n; i++)
			fprintf(out, "%s%s", i ? " " : "", cmds[i].name);
		fputc(')', out);
	} else {
		fprintf(out, "(%s)", hint);
	}
}

static void zsh_value_name(const char *arg, FILE *out)
{
	for (; *arg; arg++)
		if (*arg != '[' && *arg != ']' && *arg != ':')
			fputc(*arg, out);
}

static void zsh_command(const cli_command *cmd, FILE *out)
{
	const cli_spec *spec = cmd->spec;
	fprintf(out, "\t\t%s)\n\t\t\t_arguments -s \\\n", cmd->name);
	for (const cli_option *o = spec->options; o && o->name; o++) {
		fputs("\t\t\t\t", out);
		if (o->letter)
			fprintf(out, "'(-%c --%s)'{-%c%s,--%s%s}'", o->letter,
			        o->name, o->letter, o->arg ? "+" : "", o->name,
			        o->arg ? "=" : "");
		else
			fprintf(out, "'%s--%s%s", o->repeats ? "*" : "",
			        o->name,
			        !o->arg            ? ""
			        : o->arg[0] == '[' ? "=-"
			                           : "=");
		fputc('[', out);
		safe(o->doc, out);
		fputc(']', out);
		if (o->arg) {
			fputs(o->arg[0] == '[' ? "::" : ":", out);
			zsh_value_name(o->arg, out);
			fputc(':', out);
			zsh_action(o->complete, out);
		}
		fputs("' \\\n", out);
	}
	fputs("\t\t\t\t'(- *)'{-h,--help}'[print the help]' \\\n"
	      "\t\t\t\t'--color=-[colour the output]::when:(auto always "
	      "never)'",
	      out);
	size_t np = n_positions(spec->args_complete);
	for (size_t k = 0; k < np && spec->max_args != 0; k++) {
		char hint[256];
		position_hint(spec->args_complete, k, hint, sizeof(hint));
		bool last = k + 1 == np;
		if (last && spec->max_args < 0)
			fputs(" \\\n\t\t\t\t'*:argument:", out);
		else if ((int)k < spec->max_args)
			fprintf(out, " \\\n\t\t\t\t'%zu:argument:", k + 1);
		else
			break;
		zsh_action(hint, out);
		fputc('\'', out);
	}
	fputs(" ;;\n", out);
}

static void write_zsh(FILE *out)
{
	size_t n = 0;
	const cli_command *cmds = cli_commands(&n);
	fprintf(out,
	        "#compdef okra\n"
	        "# zsh completion for okra %s, made by `okra completion "
	        "zsh`.\n"
	        "# Save it as _okra in a folder of $fpath, or: source <(okra "
	        "completion zsh)\n\n",
	        okra_version());
	fputs("_okra_ids() {\n"
	      "\tlocal -a dir ids\n"
	      "\tlocal i=${words[(I)-C]}\n"
	      "\t(( i )) && dir=(-C \"${words[i+1]}\")\n"
	      "\tids=(${(f)\"$(okra $dir list $1 --ids 2>/dev/null)\"})\n"
	      "\tcompadd -a ids\n"
	      "}\n\n"
	      "_okra() {\n"
	      "\tlocal curcontext=$curcontext state line\n"
	      "\tlocal -a commands\n"
	      "\tcommands=(\n",
	      out);
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "\t\t'%s:", cmds[i].name);
		summary(cmds[i].name, out);
		fputs("'\n", out);
	}
	fputs("\t)\n"
	      "\t_arguments -C \\\n"
	      "\t\t'-C+[run as if started in DIR]:folder:_files -/' \\\n"
	      "\t\t'--color=-[colour the output]::when:(auto always never)' "
	      "\\\n"
	      "\t\t'(- *)'{-h,--help}'[print the help]' \\\n"
	      "\t\t'(- *)'{-V,--version}'[print the version]' \\\n"
	      "\t\t'1:command:->command' \\\n"
	      "\t\t'*::argument:->argument'\n"
	      "\tcase $state in\n"
	      "\tcommand) _describe -t commands 'okra command' commands ;;\n"
	      "\targument)\n"
	      "\t\tcase $words[1] in\n",
	      out);
	for (size_t i = 0; i < n; i++)
		if (cmds[i].spec)
			zsh_command(&cmds[i], out);
	fputs("\t\tesac ;;\n"
	      "\tesac\n"
	      "}\n\n"
	      "if [ \"$funcstack[1]\" = _okra ]; then\n"
	      "\t_okra \"$@\"\n"
	      "else\n"
	      "\tcompdef _okra okra\n"
	      "fi\n",
	      out);
}

/* ---- fish -----------------------------------------------------------------
 */

static void fish_values(const char *hint, FILE *out)
{
	size_t n = 0;
	const cli_command *cmds = cli_commands(&n);
	if (strcmp(hint, "@file") == 0) {
		fputs(" -F", out);
		return;
	}
	if (strcmp(hint, "@dir") == 0) {
		fputs(" -a '(__fish_complete_directories)'", out);
		return;
	}
	static const char *const kinds[][2] = {
	    {"@metric", "metrics"}, {"@key-result", "key-results"},
	    {"@tree", "trees"},     {"@experiment", "experiments"},
	    {"@team", "teams"},
	};
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		if (strcmp(hint, kinds[k][0]) == 0) {
			fprintf(out, " -a '(__okra_ids %s)'", kinds[k][1]);
			return;
		}
	fputs(" -a '", out);
	if (strcmp(hint, "@rule") == 0)
		for (size_t i = 0; i < okra_rule_count(); i++)
			fprintf(out, "%s%s", i ? " " : "", okra_rule_at(i)->id);
	else if (strcmp(hint, "@command") == 0)
		for (size_t i = 0; i < n; i++)
			fprintf(out, "%s%s", i ? " " : "", cmds[i].name);
	else
		fputs(hint, out);
	fputc('\'', out);
}

static void write_fish(FILE *out)
{
	size_t n = 0;
	const cli_command *cmds = cli_commands(&n);
	fprintf(out,
	        "# fish completion for okra %s, made by `okra completion "
	        "fish`.\n"
	        "# Save it as ~/.config/fish/completions/okra.fish, or: okra "
	        "completion fish | source\n\n",
	        okra_version());
	fputs("function __okra_ids\n"
	      "\tset -l words (commandline -opc)\n"
	      "\tset -l dir\n"
	      "\tif set -l i (contains -i -- -C $words)\n"
	      "\t\tset dir -C $words[(math $i + 1)]\n"
	      "\tend\n"
	      "\tokra $dir list $argv[1] --ids 2>/dev/null\n"
	      "end\n\n"
	      "complete -c okra -f\n"
	      "complete -c okra -n __fish_use_subcommand -s C -x -a "
	      "'(__fish_complete_directories)' -d 'run as if started in "
	      "DIR'\n"
	      "complete -c okra -l color -x -a 'auto always never' -d "
	      "'colour the output'\n"
	      "complete -c okra -s h -l help -d 'print the help'\n"
	      "complete -c okra -n __fish_use_subcommand -s V -l version -d "
	      "'print the version'\n",
	      out);
	for (size_t i = 0; i < n; i++) {
		fprintf(out,
		        "complete -c okra -n __fish_use_subcommand -a %s -d '",
		        cmds[i].name);
		summary(cmds[i].name, out);
		fputs("'\n", out);
	}
	for (size_t i = 0; i < n; i++) {
		const cli_spec *spec = cmds[i].spec;
		if (!spec)
			continue;
		fprintf(out, "\n# okra %s\n", cmds[i].name);
		for (const cli_option *o = spec->options; o && o->name; o++) {
			fprintf(out,
			        "complete -c okra -n '__fish_seen_subcommand_"
			        "from %s'",
			        cmds[i].name);
			if (o->letter)
				fprintf(out, " -s %c", o->letter);
			fprintf(out, " -l %s", o->name);
			if (o->arg) {
				fputs(o->complete &&
				              strcmp(o->complete, "@file") == 0
				          ? " -r"
				          : " -x",
				      out);
				if (o->complete)
					fish_values(o->complete, out);
			}
			fputs(" -d '", out);
			safe(o->doc, out);
			fputs("'\n", out);
		}
		size_t np = n_positions(spec->args_complete);
		for (size_t k = 0; k < np && spec->max_args != 0; k++) {
			char hint[256];
			position_hint(spec->args_complete, k, hint,
			              sizeof(hint));
			if (!hint[0])
				continue;
			fprintf(out,
			        "complete -c okra -n '__fish_seen_subcommand_"
			        "from %s'",
			        cmds[i].name);
			fish_values(hint, out);
			fputc('\n', out);
		}
	}
}

int cmd_completion(const cli *c)
{
	static const char *const shells[] = {"bash", "zsh", "fish"};
	if (!c->n_args)
		return cli_usage("completion",
		                 "which shell? okra completion bash, zsh or "
		                 "fish");
	const char *shell = c->args[0];
	if (strcmp(shell, "bash") == 0)
		write_bash(stdout);
	else if (strcmp(shell, "zsh") == 0)
		write_zsh(stdout);
	else if (strcmp(shell, "fish") == 0)
		write_fish(stdout);
	else {
		const char *near = okra_suggest(shell, shells, 3);
		if (near)
			return cli_usage("completion",
			                 "no completion for '%s'; did you mean "
			                 "'%s'?",
			                 shell, near);
		return cli_usage("completion",
		                 "no completion for '%s' (bash, zsh or fish)",
		                 shell);
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fputs("okra: error: cannot write the completion script\n",
		      stderr);
		return EXIT_ERROR;
	}
	return EXIT_OK;
}
