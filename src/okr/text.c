/*
 * okr/text.c - the wording rules of `okra lint`: kr-activity,
 * kr-unmeasurable, objective-vague, objective-metric and the words of
 * kr-direction.
 *
 * A title is cut into lowercase tokens (words, numbers with their %, x, k
 * and unit marks, a few symbols), list prefixes and "We will" are dropped,
 * and small lexicons plus a few phrase patterns decide.  Pure functions of
 * the title: libc only, no allocation, no locale; any byte string is safe and
 * only the first MAX_TOKENS tokens are read.  docs/lint-text-rules.md.
 */
#include "okra_int.h"

#include <string.h>

/* ======================================================================
 * Lexicons.  Space-separated and space-padded so that a lookup is one
 * strstr(" word "); keep them sorted-ish and lowercase.
 * ====================================================================== */

/* Verbs whose completion is work done: the head of an activity KR. */
static const char ACT_VERBS[] =
    " add adopt agree align analyse analyze announce archive assess attend "
    "audit author automate backfill begin build buy call carry certify "
    "choose clean coach collect communicate complete conduct configure "
    "consolidate contact contribute create define delete deliver deploy "
    "deprecate design develop digitize distribute document draft educate "
    "email enable enter establish evaluate execute extend facilitate file "
    "fill finalise finalize finish fix follow formalise formalize gather "
    "hire hold host identify implement install instrument integrate "
    "interview introduce kick launch lead localise localize map measure "
    "mentor migrate monitor offer onboard open organise organize outline "
    "overhaul participate perform pilot plan post prepare present procure "
    "produce prototype provide publish purchase rebrand rebuild record "
    "recruit redesign refactor refresh release remove rename reorganise "
    "reorganize replace report research resolve restructure retire revamp "
    "review rewrite roll run schedule select send set ship shut sketch speak "
    "sponsor staff standardise standardize start submit sunset support "
    "survey teach test track train translate update upgrade visit write ";

/* Verbs of a change in a quantity (and the vague ones: improve, foster). */
static const char DIR_VERBS[] =
    " accelerate achieve acquire attain attract avoid beat book boost bring "
    "broaden capture climb close contain convert cut decline decrease deepen "
    "deflect delight double drive drop earn elevate eliminate empower "
    "encourage engage enhance exceed expand fall foster gain generate grow "
    "halve help hit improve increase jump keep land lift limit lower maintain "
    "maximise maximize minimise minimize move nurture optimise optimize "
    "outperform prevent promote quadruple raise rank reach recover reduce "
    "remain retain rise save scale score secure sell shorten shrink sign "
    "simplify speed stay streamline strengthen surpass sustain triple win ";

/* kr-direction: the direction verbs that say which way the metric moves.
 * "Improve", "reach", "keep" say nothing about it. */
static const char UP_VERBS[] =
    " increase grow raise boost double triple quadruple lift expand climb "
    "maximise maximize ";
static const char DOWN_VERBS[] =
    " reduce cut decrease lower shrink halve minimise minimize eliminate "
    "shorten drop ";

/* Light verbs: the rest of the sentence decides ("Have X in place"). */
static const char NEUTRAL_VERBS[] =
    " be become come do ensure get give go have make obtain pass put receive "
    "see take turn ";

/* Past forms that no suffix rule finds. */
static const char *const IRREGULAR[][2] = {
    {"built", "build"},     {"wrote", "write"},     {"written", "write"},
    {"ran", "run"},         {"held", "hold"},       {"began", "begin"},
    {"begun", "begin"},     {"made", "make"},       {"did", "do"},
    {"done", "do"},         {"led", "lead"},        {"taught", "teach"},
    {"brought", "bring"},   {"grew", "grow"},       {"grown", "grow"},
    {"sent", "send"},       {"spoke", "speak"},     {"spoken", "speak"},
    {"won", "win"},         {"drove", "drive"},     {"driven", "drive"},
    {"kept", "keep"},       {"got", "get"},         {"gotten", "get"},
    {"rose", "rise"},       {"risen", "rise"},      {"sold", "sell"},
    {"bought", "buy"},      {"chose", "choose"},    {"chosen", "choose"},
    {"rebuilt", "rebuild"}, {"rewrote", "rewrite"}, {"rewritten", "rewrite"},
    {"went", "go"},         {"gone", "go"},         {"had", "have"},
    {"has", "have"},        {"became", "become"},   {"was", "be"},
    {"were", "be"},         {"is", "be"},           {"are", "be"},
    {"been", "be"},
};

/* Past participles spelled like the base: participles only after a noun. */
static const char SAME_PAST[] = " set put cut run shut ";
static const char PARTICLES[] = " out up off back ";
static const char RELATIVES[] = " who that which whose where whom ";

/* "Have X in place", "X live by Q3": the state of finished work. */
static const char DONE_WORDS[] =
    " live done ready complete completed finished available operational "
    "certified compliant approved accredited ";
/* "Achieve SOC 2 certification", "Reach feature parity": milestones. */
static const char MILESTONE_VERBS[] =
    " achieve attain complete earn gain get obtain pass reach receive secure ";
static const char MILESTONE_NOUNS[] =
    " certification certified certificate compliance compliant accreditation "
    "accredited audit approval approved parity ga attestation license "
    "licence patent ";
/* "Make 200 cold calls", "Give 5 talks": counted work after a light verb. */
static const char WORK_COUNTS[] =
    " calls hires offers visits presentations talks posts videos pitches "
    "introductions announcements commits contributions demos sessions "
    "workshops webinars interviews ";
/* "Have a roadmap for 2027": a plan is work done, whoever agrees on it. */
static const char PLAN_NOUNS[] =
    " plan plans roadmap roadmaps strategy proposal spec specification "
    "charter playbook blueprint ";
/* "Migration of X completed": a noun-first activity. */
static const char WORK_NOUNS[] =
    " migration completion rollout implementation delivery launch release "
    "deployment creation publication development introduction integration "
    "redesign rewrite setup installation upgrade ";
/* People and accounts whose number grows only if they act ("Add 300
 * accounts").  Not the company's own people: adding hires is hiring. */
static const char POPULATION[] =
    " customers users accounts subscribers members logos clients buyers "
    "signups followers leads mqls sqls installs downloads visitors seats "
    "subscriptions merchants sellers creators developers teams admins "
    "shoppers partners testers adopters ";
/* "Ship to 10,000 beta users": the verbs of a release, whose reach in
 * people is an outcome (a rollout percentage stays work). */
static const char RELEASE_VERBS[] = " ship launch release roll deploy ";
/* Opening words of a ratio: the verbs after them are inside the metric. */
static const char RATIO_WORDS[] =
    " percentage percent share proportion fraction ratio rate ";
/* Boundaries of a second clause ("... and reach 20% adoption"). */
static const char CLAUSE_MARKS[] =
    " and to that which so then thereby resulting leading driving ";
/* Guardrails in a second clause do not make the KR an outcome. */
static const char GUARD_VERBS[] = " keep maintain hold stay remain sustain ";
static const char COMPARATIVES[] =
    " better stronger deeper closer faster smoother easier simpler clearer "
    "tighter healthier happier richer smarter safer ";
static const char COMPARATORS[] =
    " below under above over less more fewer up down least most ";
static const char TIME_UNITS[] =
    " second seconds minute minutes hour hours day days week weeks month "
    "months year years quarter quarters business ";
static const char TIME_UNITS_SINGULAR[] =
    " day week month year hour minute quarter sprint ";
static const char FREQUENCIES[] =
    " hourly daily weekly biweekly monthly quarterly yearly annually ";
static const char MONTHS[] =
    " january february march april june july august september october "
    "november december jan feb mar apr jun jul aug sep sept oct nov dec ";
/* "tier 1", "week 1", "SOC 2", "steps 1-6": numbers that are names. */
static const char LABEL_WORDS[] =
    " q h fy cy p sev v version release soc iso type tier level phase step "
    "steps stage wave gen generation sprint week day month year quarter "
    "series round cohort batch milestone chapter section web no number fortune "
    "inc ";
/* "first 30 days", "past 2 weeks": a window, not a target. */
static const char WINDOW_WORDS[] = " first last next past ";
/* "within 7 days", "to 1 day": the bound words before a quantity. */
static const char BOUND_WORDS[] =
    " within in under below less than to from by of at over above per every "
    "after max maximum only least most around about approximately ";
static const char NUMBER_WORDS[] =
    " zero two three four five six seven eight nine ten eleven twelve "
    "fifteen twenty thirty forty fifty sixty seventy eighty ninety hundred "
    "thousand million billion dozen double doubled doubling triple tripled "
    "tripling quadruple quadrupled halve halved halving half twice thrice "
    "twofold threefold fivefold tenfold ";
static const char MAGNITUDES[] = " hundred thousand million billion ";
/* Hyphenated "5-star", "10-fold": still a quantity. */
static const char QUANTITY_HYPHENS[] =
    " fold x percent point points pp star stars plus ";
/* Words that end an activity's object: deadlines, purposes, rates. */
static const char OBJECT_ENDS[] =
    " by before until till ahead within during so that which while per each "
    "end ";
/* What may follow a participle in predicate position ("shipped by Q3"). */
static const char PREDICATE_NEXT[] =
    " by to in on for at before until till across with within and or up out "
    "off per from into over during ahead as via under through this next end "
    "successfully live ";

/* Objectives: function words, then the vocabulary of generic objectives. */
static const char STOPWORDS[] =
    " a an the our my your their its his her we us i you they them it this "
    "that these those of for to in on at by with from into across and or but "
    "so as is are was were be been being will would can could should must "
    "all every each more most much very really truly even also just than "
    "then there here about up down out over under within without through way "
    "ways both any some such own ";
static const char GENERIC_WORDS[] =
    " improve increase grow enhance boost optimize optimise drive deliver "
    "make become get do achieve maximize maximise build create foster "
    "strengthen focus win succeed excel lead dominate accelerate scale "
    "transform innovate elevate empower support help delight engage exceed "
    "ensure maintain keep take continue expand develop invest level raise "
    "reach go bring push move nail crush own better best great good awesome "
    "amazing excellent outstanding exceptional superior successful effective "
    "efficient efficiency productive productivity happy happier happiness "
    "satisfied satisfaction overall general key core major significant "
    "significantly substantially dramatically massive huge leading "
    "innovative innovation engaging engagement competitive modern seamless "
    "incredible positive whole entire total real true strategic impactful "
    "meaningful next new high higher greater bigger big strong stronger "
    "product products things thing stuff everything everyone everybody "
    "business company organization organisation org performance results "
    "result quality experience experiences customer customers user users "
    "client clients people revenue sales profit profits team teams success "
    "value process processes operations excellence growth market markets "
    "leader leadership brand awareness platform app application website site "
    "service services solution solutions tool tools system systems culture "
    "workplace marketing work place level game world class industry space "
    "outcomes impact metrics kpis kpi numbers goals targets ux ui design "
    "features feature offering offerings presence reputation position share "
    "base momentum execution collaboration communication morale employees "
    "staff talent relationships visibility footprint line bottom top "
    "strategy vision mission potential capabilities capability opportunity "
    "opportunities journey standard standards bar expectations competition "
    "data insights decisions nps csat arr mrr roi okr okrs retention churn "
    "activation conversion adoption usage traffic acquisition cost costs "
    "spend deals board number modernize modernise technology tech ";
/* Audiences and segments: naming one makes an objective specific. */
static const char SEGMENT_WORDS[] =
    " enterprise enterprises smb smbs mid midmarket startup startups trial "
    "trials free paid premium pro power mobile ios android international "
    "european emea apac latam americas europe asia admins administrators "
    "developers engineers designers marketers merchants sellers buyers "
    "creators partners resellers agencies recruiters managers agents "
    "technicians doctors nurses patients students teachers hosts drivers "
    "riders publishers advertisers investors shoppers parents freelancers "
    "founders executives analysts operators accountants retailers "
    "restaurants hospitals schools universities nonprofits government "
    "regulated healthcare fintech b2b b2c small large local newcomers "
    "beginners ";
static const char AUDIENCE_NOUNS[] =
    " users customers accounts teams clients members hires employees signups "
    "buyers developers admins businesses companies merchants ";

/* ======================================================================
 * Tokens
 * ====================================================================== */

#define MAX_TOKENS 128
#define TOK_CAP    32

enum { TK_WORD, TK_NUM, TK_SYM };
enum {              /* marks of a TK_NUM */
       N_PCT = 1,   /* 40% */
       N_MULT = 2,  /* 3x */
       N_MAG = 4,   /* 10k, 1.2M, 2bn */
       N_UNIT = 8,  /* 200ms, 26h, 5GB */
       N_TIME = 16, /* the unit is a duration */
       N_ORD = 32,  /* 15th */
       N_SEP = 64,  /* 1,000 or 4.5: never a year */
};

typedef struct tok {
	char s[TOK_CAP];    /* lowercase text; a TK_SYM holds one character */
	size_t off, end;    /* byte span in the title, to copy the original */
	unsigned char kind; /* TK_* */
	unsigned char num;  /* N_* marks of a TK_NUM */
	char joiner;        /* '-' or '/' when glued to the previous token */
	char pre;    /* last punctuation between the previous token and this */
	bool is_cap; /* began with an uppercase letter */
	bool is_upper;  /* two or more letters, all uppercase (an acronym) */
	bool has_digit; /* a word with digits: a label such as q3, p95, b2b */
	long value;     /* integer part of a TK_NUM, capped */
	int n_digits;   /* digits in that integer part */
} tok;

/* A title cut into tokens; every helper below takes it as x. */
typedef struct tokens {
	tok t[MAX_TOKENS];
	int n;           /* tokens kept */
	int s;           /* first token after bullets, labels and "We will" */
	const char *src; /* the title, for byte offsets */
} tokens;

static bool is_alpha(unsigned c)
{
	return (c | 32) >= 'a' && (c | 32) <= 'z';
}
static bool is_digit(unsigned c)
{
	return c >= '0' && c <= '9';
}
static bool is_alnum(unsigned c)
{
	return is_alpha(c) || is_digit(c);
}

static bool in_lex(const char *lex, const char *w)
{
	char key[TOK_CAP + 8];
	size_t len = strlen(w);

	if (len == 0 || len + 3 > sizeof key)
		return false;
	key[0] = ' ';
	memcpy(key + 1, w, len);
	key[len + 1] = ' ';
	key[len + 2] = '\0';
	return strstr(lex, key) != NULL;
}

static bool word_is(const tokens *x, int i, const char *w)
{
	return i >= 0 && i < x->n && x->t[i].kind == TK_WORD &&
	       !strcmp(x->t[i].s, w);
}

static bool word_in(const tokens *x, int i, const char *lex)
{
	return i >= 0 && i < x->n && x->t[i].kind == TK_WORD &&
	       in_lex(lex, x->t[i].s);
}

static bool sym_is(const tokens *x, int i, char c)
{
	return i >= 0 && i < x->n && x->t[i].kind == TK_SYM &&
	       x->t[i].s[0] == c;
}

/* Splits "1.2m" into a number and its suffix and sets the marks; a digit run
 * with an unknown suffix ("5g", "3d", "2fa") becomes a label word. */
static void classify_number(tok *t)
{
	const char *p = t->s, *suffix;

	for (; is_digit((unsigned char)*p); p++) {
		if (t->value < 1000000000L)
			t->value = t->value * 10 + (*p - '0');
		t->n_digits++;
	}
	while (is_digit((unsigned char)*p) || *p == '.' || *p == ',') {
		t->num |= N_SEP;
		p++;
	}
	suffix = p;
	if (!*suffix)
		return;
	if (!strcmp(suffix, "x"))
		t->num |= N_MULT;
	else if (in_lex(" k m mm b bn ", suffix))
		t->num |= N_MAG;
	else if (in_lex(" ms s sec secs min mins h hr hrs d ", suffix))
		t->num |= N_UNIT | N_TIME;
	else if (in_lex(" pp pts gb mb tb kb kg km ", suffix))
		t->num |= N_UNIT;
	else if (in_lex(" st nd rd th ", suffix))
		t->num |= N_ORD;
	else {
		t->kind = TK_WORD;
		t->has_digit = true;
	}
}

/* Reads one word or number starting at p; returns the byte after it. */
static const unsigned char *scan_word(tokens *x, const unsigned char *p,
                                      char joiner, char pre)
{
	const unsigned char *base = (const unsigned char *)x->src;
	tok *t = &x->t[x->n++];
	size_t len = 0;
	int letters = 0, uppers = 0;
	bool digit_start = is_digit(*p);

	memset(t, 0, sizeof *t);
	t->kind = digit_start ? TK_NUM : TK_WORD;
	t->off = (size_t)(p - base);
	t->joiner = joiner;
	t->pre = pre;
	t->is_cap = *p >= 'A' && *p <= 'Z';
	for (;;) {
		unsigned c = *p, step = 1;
		if (is_alnum(c)) {
		} else if ((c == '.' || c == ',') && len > 0 &&
		           is_digit(p[-1]) && is_digit(p[1])) {
		} else if (c == '\'' && len > 0 && is_alpha(p[-1]) &&
		           is_alpha(p[1])) {
		} else if (c == 0xE2 && p[1] == 0x80 && p[2] == 0x99 &&
		           len > 0 && is_alpha(p[-1]) && is_alpha(p[3])) {
			c = '\''; /* a typographic apostrophe */
			step = 3;
		} else {
			break;
		}
		if (is_alpha(c)) {
			letters++;
			uppers += c <= 'Z';
			c |= 32;
		} else if (is_digit(c) && !digit_start) {
			t->has_digit = true;
		}
		if (len < TOK_CAP - 1)
			t->s[len++] = (char)c;
		p += step;
	}
	t->s[len] = '\0';
	t->is_upper = letters >= 2 && uppers == letters;
	if (*p == '%') {
		t->num |= N_PCT;
		p++;
	}
	if (*p == '+')
		p++;
	t->end = (size_t)(p - base);
	if (digit_start)
		classify_number(t);
	else if (len > 2 && !strcmp(t->s + len - 2, "'s"))
		t->s[len - 2] = '\0'; /* customers' / customer's: the noun */
	return p;
}

static void push_sym(tokens *x, char c, size_t off, size_t len)
{
	tok *t = &x->t[x->n++];

	memset(t, 0, sizeof *t);
	t->kind = TK_SYM;
	t->s[0] = c;
	t->off = off;
	t->end = off + len;
}

static void tokenize(tokens *x, const char *src)
{
	const unsigned char *p = (const unsigned char *)src;
	char joiner = 0, pre = 0;
	int seps = 0; /* separator characters since the last token */

	x->n = 0;
	x->s = 0;
	x->src = src;
	while (*p && x->n < MAX_TOKENS) {
		unsigned c = *p;
		size_t off = (size_t)(p - (const unsigned char *)src), len = 1;
		char sym = 0, sep = 0;

		if (is_alnum(c)) {
			p = scan_word(x, p, seps == 1 ? joiner : 0, pre);
			seps = 0;
			joiner = pre = 0;
			continue;
		}
		if (strchr("$<>#:,;()", (int)c))
			sym = (char)c;
		else if (c == 0xC2 && (p[1] == 0xA3 || p[1] == 0xA5))
			sym = '$', len = 2; /* pound, yen */
		else if (c == 0xE2 && p[1] == 0x82 && p[2] == 0xAC)
			sym = '$', len = 3; /* euro */
		else if (c == 0xE2 && p[1] == 0x89 &&
		         (p[2] == 0xA4 || p[2] == 0xA5))
			sym = p[2] == 0xA4 ? '<' : '>', len = 3;
		else if ((c == 0xE2 && p[1] == 0x86 && p[2] == 0x92) ||
		         (c == '-' && p[1] == '>'))
			sym = 'T',
			len = c == '-' ? 2 : 3; /* an arrow reads "to" */
		else if (c == 0xE2 && p[1] == 0x80 &&
		         (p[2] == 0x93 || p[2] == 0x94))
			sep = '-', len = 3; /* en and em dashes */
		else if (c == '%' && seps == 0 && x->n > 0 &&
		         x->t[x->n - 1].kind == TK_NUM)
			x->t[x->n - 1].num |= N_PCT;
		else if (c == '%' || c == ' ' || c == '\t')
			sep = 0;
		else if (c < 0x80)
			sep = (char)c;
		if (sym == 'T') {
			push_sym(x, 'T', off, len);
			memcpy(x->t[x->n - 1].s, "to", 3);
			x->t[x->n - 1].kind = TK_WORD;
			seps = 2;
		} else if (sym) {
			push_sym(x, sym, off, len);
			seps = 0;
			joiner = pre = 0;
		} else {
			if (sep)
				pre = sep;
			joiner = sep == '-' || sep == '/' ? sep : 0;
			seps++;
		}
		p += len;
	}
}

/* ======================================================================
 * Verbs
 * ====================================================================== */

enum { V_NONE, V_ACT, V_DIR, V_NEUTRAL };
enum { F_BASE, F_S, F_PAST, F_ING };

typedef struct verb {
	int kind; /* V_* */
	int form; /* F_* */
	char base[TOK_CAP + 4];
} verb;

static bool try_base(verb *v, const char *w, size_t len, const char *add,
                     int form)
{
	size_t add_len = strlen(add);
	int kind;

	if (len < 2 || len + add_len >= sizeof v->base)
		return false;
	memcpy(v->base, w, len);
	memcpy(v->base + len, add, add_len + 1);
	kind = in_lex(ACT_VERBS, v->base)       ? V_ACT
	       : in_lex(DIR_VERBS, v->base)     ? V_DIR
	       : in_lex(NEUTRAL_VERBS, v->base) ? V_NEUTRAL
	                                        : V_NONE;
	v->kind = kind;
	v->form = form;
	return kind != V_NONE;
}

static bool ends_with(const char *w, size_t len, const char *end)
{
	size_t n = strlen(end);
	return len > n + 1 && !memcmp(w + len - n, end, n);
}

/* The verb a word is a form of: a small stemmer for -s, -ed, -ing, doubled
 * consonants ("shipped") and the irregular pasts above. */
static verb verb_of(const char *w)
{
	verb v;
	size_t len = strlen(w), m;

	memset(&v, 0, sizeof v);
	for (size_t k = 0; k < OKRA_ARRAY_LEN(IRREGULAR); k++)
		if (!strcmp(w, IRREGULAR[k][0]) &&
		    try_base(&v, IRREGULAR[k][1], strlen(IRREGULAR[k][1]), "",
		             F_PAST))
			return v;
	if (try_base(&v, w, len, "", F_BASE))
		return v;
	if (ends_with(w, len, "ing")) {
		m = len - 3;
		if (try_base(&v, w, m, "", F_ING) ||
		    try_base(&v, w, m, "e", F_ING) ||
		    (w[m - 1] == w[m - 2] && try_base(&v, w, m - 1, "", F_ING)))
			return v;
	} else if (ends_with(w, len, "ied")) {
		if (try_base(&v, w, len - 3, "y", F_PAST))
			return v;
	} else if (ends_with(w, len, "ed")) {
		m = len - 2;
		if (try_base(&v, w, m, "", F_PAST) ||
		    try_base(&v, w, m + 1, "", F_PAST) ||
		    (w[m - 1] == w[m - 2] &&
		     try_base(&v, w, m - 1, "", F_PAST)))
			return v;
	} else if (ends_with(w, len, "ies")) {
		if (try_base(&v, w, len - 3, "y", F_S))
			return v;
	} else if (ends_with(w, len, "s")) {
		if ((ends_with(w, len, "es") &&
		     try_base(&v, w, len - 2, "", F_S)) ||
		    try_base(&v, w, len - 1, "", F_S))
			return v;
	}
	memset(&v, 0, sizeof v);
	return v;
}

static verb verb_at(const tokens *x, int i)
{
	verb v;

	if (i >= 0 && i < x->n && x->t[i].kind == TK_WORD && !x->t[i].has_digit)
		return verb_of(x->t[i].s);
	memset(&v, 0, sizeof v);
	return v;
}

/* ======================================================================
 * Prefixes: "KR1:", "1.", "- ", "We will", "Successfully"
 * ====================================================================== */

static const char *const SUBJECT_PREFIXES[] = {
    "we will",
    "we'll",
    "we are going to",
    "we want to",
    "we need to",
    "we must",
    "we should",
    "we plan to",
    "we",
    "the team will",
    "our team will",
    "team will",
    "i will",
    "i'll",
    "will",
    "to",
    "must",
    "should",
    "successfully",
    "fully",
    "finally",
    "also",
    "aim to",
    "plan to",
    "try to",
    "be able to",
};

/* Number of tokens at i that spell phrase, or 0. */
static int match_phrase(const tokens *x, int i, const char *phrase)
{
	int n = 0;

	while (*phrase) {
		size_t len = strcspn(phrase, " ");
		if (i + n >= x->n || x->t[i + n].kind != TK_WORD ||
		    strlen(x->t[i + n].s) != len ||
		    memcmp(x->t[i + n].s, phrase, len))
			return 0;
		n++;
		phrase += len;
		phrase += *phrase == ' ';
	}
	return n;
}

static bool is_label_word(const tok *t)
{
	const char *s = t->s;

	if (t->kind != TK_WORD)
		return false;
	if (in_lex(" kr krs key result objective obj goal okr o ", s))
		return true;
	if (!t->has_digit) /* kr1, o2, kr2.3 */
		return false;
	s += !strncmp(s, "kr", 2)    ? 2
	     : !strncmp(s, "okr", 3) ? 3
	     : *s == 'o'             ? 1
	                             : 0;
	if (s == t->s)
		return false;
	for (; *s; s++)
		if (!is_digit((unsigned char)*s) && *s != '.')
			return false;
	return true;
}

static void strip_prefixes(tokens *x)
{
	int i = 0, again = 1;

	while (again && i < x->n) {
		again = 0;
		/* "1." "2)" list markers */
		if (x->t[i].kind == TK_NUM && !x->t[i].num &&
		    x->t[i].value < 100 && i + 1 < x->n &&
		    (strchr(".)", x->t[i + 1].pre ? x->t[i + 1].pre : 'z') ||
		     sym_is(x, i + 1, ')'))) {
			i += 1 + sym_is(x, i + 1, ')');
			again = 1;
			continue;
		}
		/* "a)" list markers; "Q3: Ship X", "Onboarding: ship the
		 * redesign" */
		if ((x->t[i].kind == TK_WORD && strlen(x->t[i].s) == 1 &&
		     sym_is(x, i + 1, ')')) ||
		    (i == 0 && x->n > 2 &&
		     (sym_is(x, 1, ':') || sym_is(x, 2, ':') ||
		      sym_is(x, 3, ':')))) {
			int c = sym_is(x, i + 1, ')') ? i + 1
			        : sym_is(x, 1, ':')   ? 1
			        : sym_is(x, 2, ':')   ? 2
			                              : 3;
			if (c == i + 1 || verb_at(x, c + 1).kind != V_NONE) {
				i = c + 1;
				again = 1;
				continue;
			}
		}
		/* "KR1:", "Key result 2 -", "O3:", "Objective:" */
		if (is_label_word(&x->t[i])) {
			int j = i;
			bool digits = false;
			while (j < x->n && j < i + 4 &&
			       (is_label_word(&x->t[j]) ||
			        x->t[j].kind == TK_NUM || sym_is(x, j, '#'))) {
				digits |=
				    x->t[j].has_digit || x->t[j].kind == TK_NUM;
				j++;
			}
			if (sym_is(x, j, ':') || sym_is(x, j, ')')) {
				i = j + 1;
				again = 1;
			} else if (j < x->n &&
			           (digits || (x->t[j].pre &&
			                       strchr("-.:]", x->t[j].pre)))) {
				i = j;
				again = 1;
			}
			if (again)
				continue;
		}
		if (sym_is(x, i, ':') || sym_is(x, i, ')') ||
		    sym_is(x, i, ',') || sym_is(x, i, ';') ||
		    (word_is(x, i, "a") && word_is(x, i + 1, "b") &&
		     x->t[i + 1].joiner == '/')) {
			i += 1 + word_is(x, i, "a"); /* "A/B test 5 variants" */
			again = 1;
			continue;
		}
		for (size_t k = 0; k < OKRA_ARRAY_LEN(SUBJECT_PREFIXES); k++) {
			int m = match_phrase(x, i, SUBJECT_PREFIXES[k]);
			if (m && i + m < x->n) {
				i += m;
				again = 1;
				break;
			}
		}
	}
	x->s = i;
}

static void analyse(tokens *x, const char *title)
{
	tokenize(x, title);
	strip_prefixes(x);
}

/* ======================================================================
 * Quantities
 * ====================================================================== */

static bool is_year(const tok *t)
{
	return t->kind == TK_NUM && !t->num && t->n_digits == 4 &&
	       t->value >= 1900 && t->value <= 2099;
}

static bool is_time_unit(const tokens *x, int i)
{
	return word_in(x, i, TIME_UNITS) ||
	       (i < x->n && x->t[i].kind == TK_NUM && (x->t[i].num & N_TIME));
}

/* "ten", "double", "half", "one day": a number spelled out. */
static bool is_number_word(const tokens *x, int i)
{
	const tok *t = &x->t[i];
	const tok *next = i + 1 < x->n ? &x->t[i + 1] : NULL;

	if (in_lex(" third fifth tenth ", t->s) ||
	    (!strcmp(t->s, "quarter") && word_is(x, i - 2, "by")))
		return word_in(x, i - 1, " a one two ") &&
		       !word_in(x, i - 2, " the this next every per each in ");
	if (!in_lex(NUMBER_WORDS, t->s) && strcmp(t->s, "one"))
		return false;
	if (!strcmp(t->s, "half") &&
	    word_in(x, i - 1, " first second back this next last other h "))
		return false; /* the second half of the year */
	if (!strcmp(t->s, "double") && word_is(x, i + 1, "down"))
		return false;
	/* "two-factor", "one-click", "zero-downtime" name a kind of thing */
	if (next && next->joiner == '-' && next->kind == TK_WORD &&
	    !in_lex(NUMBER_WORDS, next->s) &&
	    !in_lex(QUANTITY_HYPHENS, next->s))
		return false;
	if (!strcmp(
	        t->s,
	        "one")) /* "one day", "one million", but "no one", "one of" */
		return word_in(x, i + 1, MAGNITUDES) ||
		       word_in(x, i + 1, TIME_UNITS);
	return true;
}

/* Is token i a stated quantity, rather than a date, a label ("Q3", "tier 1"),
 * a version or a qualifier ("30-day retention", "first 30 days")? */
static bool is_quantity(const tokens *x, int i)
{
	if (i < 0 || i >= x->n)
		return false;
	const tok *t = &x->t[i];
	const tok *prev = i > 0 ? &x->t[i - 1] : NULL;
	const tok *next = i + 1 < x->n ? &x->t[i + 1] : NULL;

	/* "first 30 days" is a window, "first 10 customers" a target */
	if (word_in(x, i - 1, WINDOW_WORDS) && is_time_unit(x, i + 1))
		return false;
	if (t->kind == TK_WORD)
		return !t->has_digit && is_number_word(x, i);
	if (t->kind != TK_NUM || (t->num & N_ORD))
		return false;
	if (sym_is(x, i - 1, '$') || (t->num & (N_PCT | N_MULT | N_MAG)))
		return true;
	/* ranges and ISO dates inherit from their first part: "1-6",
	 * "2026-11-15" */
	if (t->joiner == '-' && prev && prev->kind == TK_NUM)
		return !is_year(prev) && is_quantity(x, i - 1);
	/* "8/10" and "4.5/5" are ratings; "24/7" and "by 11/15" are not */
	bool after_slash = t->joiner == '/' && prev && prev->kind == TK_NUM;
	if (after_slash ||
	    (next && next->joiner == '/' && next->kind == TK_NUM)) {
		int a = after_slash ? i - 1 : i;
		const tok *b = &x->t[a + 1];
		bool rating =
		    (b->value == 5 || b->value == 10 || b->value == 100) &&
		    x->t[a].value <= b->value;
		if (word_in(x, a - 1, " by on before until till due ") ||
		    (!rating && !(x->t[a].num & N_SEP) && !(b->num & N_SEP) &&
		     x->t[a].value <= 31 && b->value <= 31))
			return false;
	}
	if (is_year(t)) { /* "2026 roadmap" vs "Reach 2000 customers" */
		if (!next || next->kind != TK_WORD || next->joiner)
			return false;
		size_t len = strlen(next->s);
		if (len < 4 || next->s[len - 1] != 's' ||
		    in_lex(" plans targets goals results numbers okrs kpis "
		           "budgets ",
		           next->s))
			return false;
	}
	if ((prev && prev->kind == TK_WORD &&
	     (in_lex(MONTHS, prev->s) || !strcmp(prev->s, "may"))) ||
	    (t->value <= 31 && next && next->kind == TK_WORD &&
	     (in_lex(MONTHS, next->s) || !strcmp(next->s, "may"))))
		return false;
	if (prev && prev->kind == TK_WORD && in_lex(LABEL_WORDS, prev->s))
		return false;
	if (sym_is(x, i - 1, '#') && !(t->num & N_UNIT))
		return true;
	if (next && next->kind == TK_WORD && next->joiner == '-' &&
	    !in_lex(QUANTITY_HYPHENS, next->s))
		return false; /* 30-day, 360-degree */
	if (word_in(x, i + 1, TIME_UNITS_SINGULAR) && !next->joiner &&
	    !(prev &&
	      ((prev->kind == TK_WORD && in_lex(BOUND_WORDS, prev->s)) ||
	       (prev->kind == TK_SYM && strchr("<>", prev->s[0])))))
		return false; /* "30 day retention", but "to 1 day" */
	return true;
}

static bool is_pct_at(const tokens *x, int i)
{
	return is_quantity(x, i) &&
	       ((x->t[i].kind == TK_NUM && (x->t[i].num & N_PCT)) ||
	        word_in(x, i + 1, " percent pct "));
}

static bool quantity_from(const tokens *x, int from)
{
	for (int i = from < 0 ? 0 : from; i < x->n; i++)
		if (is_quantity(x, i))
			return true;
	return false;
}

static bool pct_from(const tokens *x, int from)
{
	for (int i = from; i < x->n; i++)
		if (is_pct_at(x, i))
			return true;
	return false;
}

/* A quantity or a frequency word: either side of "from X to Y". */
static bool is_level(const tokens *x, int i)
{
	if (sym_is(x, i, '$') || sym_is(x, i, '<') || sym_is(x, i, '>'))
		i++;
	return i < x->n && (is_quantity(x, i) || word_in(x, i, FREQUENCIES));
}

/* "from 38% to 60%", "35% → 55%", "up 20%", "down from 5 days". */
static bool has_change(const tokens *x, int from)
{
	for (int i = from; i < x->n; i++) {
		if (word_is(x, i, "to") && i > from && is_level(x, i - 1) &&
		    is_level(x, i + 1))
			return true;
		if (word_in(x, i, " up down ") &&
		    (is_level(x, i + 1) || word_in(x, i + 1, " from by ")))
			return true;
	}
	return false;
}

/* A percentage of items with a per-item condition is a rate, an outcome:
 * "95% of tickets answered within 4 hours", "Resolve 80% of tickets on first
 * contact", "Deliver 90% of commitments on time", "... without a call". */
static bool has_rate_condition(const tokens *x)
{
	bool cond = false;

	for (int i = x->s; i < x->n && !cond; i++) {
		int k = i + 1;
		if (word_is(x, i, "without") ||
		    (word_is(x, i, "on") &&
		     word_in(x, k, " time schedule budget first ")) ||
		    (word_in(x, i, " with at ") &&
		     word_in(x, k, " no zero ")) ||
		    (word_is(x, i, "first") &&
		     word_in(x, k, " time try attempt contact ")))
			cond = true;
		if (word_is(x, i, "in") && word_in(x, k, " under less fewer "))
			k += 1 + word_is(x, k + 1, "than");
		else if (!word_in(x, i, " within under below "))
			continue;
		/* "within their first 2 weeks": a deadline per item */
		while (word_in(x, k, " the their its his her our a an first "))
			k++;
		if (k < x->n && (x->t[k].kind == TK_NUM || is_quantity(x, k)) &&
		    (is_time_unit(x, k) || is_time_unit(x, k + 1)))
			cond = true;
	}
	return cond && pct_from(x, x->s);
}

/* ======================================================================
 * Key results: kr-activity and kr-unmeasurable
 * ====================================================================== */

/* The head verb: the first token after the prefixes, if it is a verb form
 * other than a bare -s ("Releases" opens a noun phrase far more often). */
static int find_head(const tokens *x, verb *v)
{
	int i = x->s;

	*v = verb_at(x, i);
	if (v->kind == V_NONE || v->form == F_S)
		return -1;
	/* "post-purchase NPS", "follow-up rate": a hyphenated noun */
	if (i + 1 < x->n && x->t[i + 1].joiner == '-' &&
	    !word_in(x, i + 1, PARTICLES))
		return -1;
	return i;
}

/* "Test coverage above 80%", "Build time under 5 minutes": an activity verb
 * that opens a metric's name, followed by a bound. */
static bool is_metric_name(const tokens *x, int h, const verb *v)
{
	if (v->form != F_BASE || word_in(x, h + 1, PARTICLES))
		return false;
	for (int i = h + 1; i < x->n && i <= h + 4; i++) {
		const tok *t = &x->t[i];
		if (i > h + 1 &&
		    ((t->kind == TK_WORD && in_lex(COMPARATORS, t->s)) ||
		     sym_is(x, i, '<') || sym_is(x, i, '>') ||
		     sym_is(x, i, ':')))
			return is_level(x, i + 1) || is_level(x, i + 2) ||
			       is_level(x, i + 3);
		if (i > h + 1 && word_is(x, i, "from"))
			return is_level(x, i + 1) && has_change(x, i);
		if (word_is(x, i, "per") && i + 1 < x->n) {
			i++; /* "Support tickets per 1,000 users" */
			continue;
		}
		if (t->kind != TK_WORD || in_lex(STOPWORDS, t->s) ||
		    t->has_digit)
			return false;
	}
	return false;
}

/* "... and reach 20% adoption", "..., driving a 15% lift": a second clause
 * that states a measured change. */
static bool has_measured_clause(const tokens *x, int h)
{
	for (int i = h + 1; i < x->n; i++) {
		if (!word_in(x, i, CLAUSE_MARKS) && !sym_is(x, i, ',') &&
		    !sym_is(x, i, ';'))
			continue;
		if (word_in(x, i, " resulting leading driving ") &&
		    quantity_from(x, i + 1))
			return true;
		for (int j = i + 1; j < x->n && j <= i + 4; j++) {
			verb v = verb_at(x, j);
			if (v.kind == V_DIR && v.form != F_PAST &&
			    !in_lex(GUARD_VERBS, v.base))
				return quantity_from(x, j + 1);
			if (!word_in(x, j,
			             " in order to that the a an thereby "))
				break;
		}
	}
	return false;
}

/* "Deliver $1M in savings", "Build $3M of pipeline": money as the object. */
static bool has_money_object(const tokens *x, int h)
{
	bool money = false;

	for (int i = h + 1; i < x->n; i++) {
		if (word_in(x, i, " budget budgets "))
			return false;
		if (sym_is(x, i, '$') && i + 1 < x->n &&
		    x->t[i + 1].kind == TK_NUM)
			money = true;
		if (x->t[i].kind == TK_NUM && (x->t[i].num & N_MAG) &&
		    word_in(x, i + 1,
		            " arr mrr revenue bookings pipeline savings gmv "))
			money = true;
	}
	return money;
}

/* "Add 300 net new paying accounts": a count of people or accounts. */
static bool grows_population(const tokens *x, int o)
{
	for (int i = o; i < x->n; i++)
		for (int j = i + 1; is_quantity(x, i) && j < x->n && j <= i + 4;
		     j++)
			if (word_in(x, j, POPULATION))
				return true;
	return false;
}

/* "Ship with fewer than 5 escaped defects": the verb is qualified by a bound.
 */
static bool has_bounded_manner(const tokens *x, int o)
{
	if (!word_in(x, o, " with without at "))
		return false;
	for (int i = o + 1; i < x->n && i <= o + 3; i++)
		if (word_in(x, i,
		            " fewer less zero no under below above over least "
		            "most ") ||
		    sym_is(x, i, '<') || sym_is(x, i, '>'))
			return true;
	return false;
}

/* Is the word at i in predicate position ("shipped by Q3", "live.") rather
 * than before a noun ("shipped features")? */
static bool predicate_at(const tokens *x, int i)
{
	const tok *next = i + 1 < x->n ? &x->t[i + 1] : NULL;

	return !next || next->kind != TK_WORD || next->has_digit ||
	       in_lex(PREDICATE_NEXT, next->s) || in_lex(MONTHS, next->s);
}

/* The start of a done-state phrase at i ("live", "in place", "up and
 * running", "in production"), or -1. */
static int done_phrase(const tokens *x, int i)
{
	if (word_in(x, i, DONE_WORDS) && predicate_at(x, i))
		return i;
	if (word_is(x, i, "in") && word_in(x, i + 1, " place production ") &&
	    predicate_at(x, i + 1))
		return i;
	if (word_is(x, i, "up") && word_is(x, i + 1, "and") &&
	    word_is(x, i + 2, "running"))
		return i;
	/* "Autosave is on by default", "two engineers on board" */
	if (word_is(x, i, "on") &&
	    ((word_is(x, i + 1, "by") && word_is(x, i + 2, "default")) ||
	     (word_is(x, i + 1, "board") && predicate_at(x, i + 1))))
		return i;
	return -1;
}

static bool subject_has(const tokens *x, int from, int to, const char *lex)
{
	for (int i = from; i < to; i++)
		if (word_in(x, i, lex))
			return true;
	return false;
}

/* A noun-first KR: "Onboarding redesign shipped by Nov 15", "3 new
 * integrations shipped", "New help center live by March 1".  Verbs after
 * "who/that" belong to the measured noun phrase and are skipped. */
static int noun_first_predicate(const tokens *x)
{
	for (int i = x->s + 1; i < x->n; i++) {
		verb v;
		if (word_in(x, i, RELATIVES))
			return -1;
		if (done_phrase(x, i) >= 0)
			return i;
		v = verb_at(x, i);
		if (v.kind == V_ACT && v.form == F_PAST && predicate_at(x, i))
			return i;
		/* "Each engineer writes 2 blog posts", "Team publishes 4
		 * articles": the team's own counted work; "Users publish..."
		 * would be behaviour, and has no -s */
		if (v.kind == V_ACT && v.form == F_S && i <= x->s + 2 &&
		    is_quantity(x, i + 1) &&
		    !subject_has(x, x->s, i, POPULATION) &&
		    !subject_has(x, x->s, i, AUDIENCE_NOUNS))
			return i;
		if (v.form == F_PAST && in_lex(MILESTONE_VERBS, v.base) &&
		    predicate_at(x, i) &&
		    subject_has(x, x->s, i, MILESTONE_NOUNS))
			return i; /* "SOC 2 audit passed" */
		if (v.kind == V_ACT && v.form == F_BASE &&
		    in_lex(SAME_PAST, v.base) &&
		    (predicate_at(x, i) || word_in(x, i + 1, PARTICLES)) &&
		    !subject_has(x, x->s, i, POPULATION))
			return i;
		if ((v.kind == V_DIR && (v.form == F_S || v.form == F_PAST)) ||
		    word_in(x, i, " up down "))
			return -1; /* "ARR reaches $4M", "churn reduced to 2%"
			            */
	}
	return -1;
}

/* "Grow the engineering team from 20 to 35 people", "Increase headcount to
 * 120": growing one's own team is hiring, work done. */
static bool grows_headcount(const tokens *x, int h)
{
	int i = h + 1;

	while (i < x->n && x->t[i].kind == TK_WORD &&
	       (!in_lex(" from to by of in at with ", x->t[i].s) ||
	        (word_is(x, i, "of") && word_is(x, i - 1, "size"))))
		i++; /* "the size of the engineering team" reads through */
	return i > h + 1 &&
	       word_in(x, i - 1, " team headcount staff workforce ") &&
	       !pct_from(x, h) && !has_money_object(x, h);
}

/* Re-reads an ambiguous head verb from its neighbours. */
static void refine_head(const tokens *x, int h, verb *v)
{
	const char *b = v->base;

	if (!strcmp(b, "hold") &&
	    !(word_in(x, h + 1,
	              " a an the our weekly monthly quarterly regular daily "
	              "biweekly ") ||
	      is_quantity(x, h + 1)))
		v->kind =
		    V_DIR; /* "Hold churn below 1%", not "Hold 10 interviews" */
	else if ((!strcmp(b, "reach") && word_is(x, h + 1, "out")) ||
	         (!strcmp(b, "expand") && word_in(x, h + 1, " to into in ")) ||
	         (!strcmp(b, "move") && !quantity_from(x, h + 1)) ||
	         (in_lex(" grow increase double triple scale expand bring "
	                 "raise ",
	                 b) &&
	          grows_headcount(x, h)) ||
	         (!strcmp(b, "put") && word_is(x, h + 1, "together")) ||
	         (!strcmp(b, "come") && word_is(x, h + 1, "up") &&
	          word_is(x, h + 2, "with")))
		v->kind = V_ACT; /* "Expand to 2 new regions", "Move the site to
		                    Webflow", "Put together a plan" */
	else if (v->kind == V_ACT && (word_in(x, h + 1, COMPARATIVES) ||
	                              (word_in(x, h + 1, " a an the our ") &&
	                               word_in(x, h + 2, COMPARATIVES))))
		v->kind =
		    V_DIR; /* "Build stronger relationships": a vague change */
}

/* The span helpers below fill [*from, *to) with the object's tokens. */
static bool span(int *from, int *to, int a, int b)
{
	*from = a;
	*to = b;
	return true;
}

/* "Ship to 10,000 beta users", "Launch the app to 2,500 paying customers":
 * a release measured by the people it reaches, a count rather than a
 * rollout percentage ("to 40% of users" is work). */
static bool has_reach(const tokens *x, int h, const verb *v)
{
	if (!in_lex(RELEASE_VERBS, v->base))
		return false;
	for (int i = h + 1; i + 1 < x->n; i++) {
		if (!word_is(x, i, "to") || !is_quantity(x, i + 1) ||
		    is_pct_at(x, i + 1))
			continue;
		for (int j = i + 2; j < x->n && j <= i + 4; j++)
			if (word_in(x, j, POPULATION))
				return true;
	}
	return false;
}

/* An activity verb heads the KR: an activity unless the title also states
 * a measured result (a rate, money, a second measured clause, a bound on
 * the work's quality, the people a release reaches, or added customers). */
static bool act_verdict(const tokens *x, int h, const verb *v, int *from,
                        int *to)
{
	int o = h + 1;

	if (word_is(x, o, "and") && verb_at(x, o + 1).kind != V_NONE)
		o += 2; /* "Design and test", "Finalise and sign" */
	o += word_in(x, o, PARTICLES);
	if (has_rate_condition(x) || has_money_object(x, h) ||
	    has_measured_clause(x, h) || has_bounded_manner(x, o) ||
	    has_reach(x, h, v) ||
	    (!strcmp(v->base, "add") && grows_population(x, o)))
		return false;
	return span(from, to, o, x->n);
}

/* "100% of customer data is encrypted", "all services are monitored": a
 * passive state reached everywhere is work done, not a rate. */
static bool is_full_coverage(const tokens *x, int o)
{
	bool all = word_in(x, o, " all every ") ||
	           (o < x->n && x->t[o].kind == TK_NUM &&
	            x->t[o].value == 100 && is_pct_at(x, o));

	for (int i = o + 1; all && i + 1 < x->n; i++) {
		size_t len = strlen(x->t[i + 1].s);
		if (word_in(x, i, " is are be ") &&
		    x->t[i + 1].kind == TK_WORD && len > 3 &&
		    !strcmp(x->t[i + 1].s + len - 2, "ed"))
			return !has_change(x, o);
	}
	return false;
}

/* A direction or light verb heads the KR: an outcome, unless a light verb
 * reaches a done state ("Have X in place", "Get X live", "Go live with X"),
 * a milestone ("Achieve SOC 2 certification") or counted work ("Make 200
 * calls"), with no percentage or change stated. */
static bool light_verdict(const tokens *x, int h, const verb *v, int *from,
                          int *to)
{
	int o = h + 1 + word_in(x, h + 1, PARTICLES);

	if (is_full_coverage(x, o))
		return span(from, to, o,
		            x->n); /* "Ensure 100% of data is encrypted" */
	if (pct_from(x, o) || has_change(x, o))
		return false;
	for (int i = o; v->kind == V_NEUTRAL && i < x->n; i++) {
		verb p = verb_at(x, i);
		int d = done_phrase(x, i);
		if (d < 0 && p.kind == V_ACT && p.form == F_PAST &&
		    predicate_at(x, i))
			d = i; /* "Have 10 case studies published" */
		if (d >= 0 && word_is(x, d + 1, "board") &&
		    subject_has(x, o, d, POPULATION))
			break; /* "Get 500 developers on board": adoption */
		if (d == o)    /* "Go live with the new ERP" */
			return span(from, to,
			            d + 1 + (x->t[d].s[0] == 'i') +
			                word_in(x, d + 1, " with on for "),
			            x->n);
		if (d >= 0)
			return span(from, to, o, d);
	}
	if (in_lex(" have get ", v->base) &&
	    (word_in(x, o + word_in(x, o, " a an the our "), PLAN_NOUNS) ||
	     (word_in(x, o, " a an the our ") &&
	      word_in(x, o + 2, PLAN_NOUNS) && !word_in(x, o + 1, STOPWORDS))))
		return span(from, to, o, x->n); /* "Have a roadmap for 2027" */
	if (in_lex(" have get ", v->base) && word_in(x, o, " a an the ") &&
	    (word_in(x, o + 1, DONE_WORDS) ||
	     word_in(x, o + 1, " signed agreed documented defined ") ||
	     (verb_at(x, o + 1).kind == V_ACT &&
	      verb_at(x, o + 1).form == F_PAST)))
		return span(from, to, o,
		            x->n); /* "Have a signed contract with X" */
	for (int i = o; i < x->n; i++)
		if ((in_lex(MILESTONE_VERBS, v->base) &&
		     word_in(x, i, MILESTONE_NOUNS)) ||
		    (in_lex(" make do give ", v->base) &&
		     word_in(x, i, WORK_COUNTS) && quantity_from(x, o)))
			return span(from, to, o, x->n);
	return false;
}

/* A KR that opens with a noun phrase: "Onboarding redesign shipped by Nov
 * 15", "Every account has a named CSM", "Customers can export to PDF". */
static bool noun_first_verdict(const tokens *x, int *from, int *to)
{
	int s = x->s, p;

	if (word_in(x, s, RATIO_WORDS) || has_change(x, s) ||
	    has_rate_condition(x))
		return false;
	p = noun_first_predicate(x);
	if (word_is(x, s, "ready") && word_in(x, s + 1, " for to ") &&
	    !quantity_from(x, s))
		return span(from, to, s + 2, x->n); /* "Ready for launch" */
	if (word_in(x, s, WORK_NOUNS) && word_is(x, s + 1, "of"))
		return span(
		    from, to, s,
		    p >= 0 ? p : x->n); /* "Migration of the DB to Aurora" */
	if (p >= 0 && verb_at(x, p).form == F_S)
		return span(from, to, p + 1, x->n); /* "Team writes 4 posts" */
	if (p >= 0)
		return span(from, to, s, p);
	if (quantity_from(x, s))
		return false;
	for (int i = s + 1; i < x->n; i++) {
		if (word_in(x, i, RELATIVES))
			break;
		if ((word_in(x, s, " every all each ") &&
		     verb_at(x, i).kind == V_NEUTRAL &&
		     !strcmp(verb_at(x, i).base, "have")) ||
		    (word_is(x, i, "can") && i + 1 < x->n &&
		     x->t[i + 1].kind == TK_WORD) ||
		    (word_in(x, i, " is are ") && word_is(x, i + 1, "able") &&
		     word_is(x, i + 2, "to")))
			return span(
			    from, to, s,
			    x->n); /* a coverage or a capability delivered */
	}
	return false;
}

/* The verdict on a key result; for an activity also the token span
 * [*from, *to) of the noun phrase the work is about. */
static bool kr_activity(const tokens *x, int *from, int *to)
{
	verb v;
	int h = find_head(x, &v);

	*from = *to = -1;
	if (h >= 0 && v.kind == V_ACT && is_metric_name(x, h, &v))
		h = -1;
	/* "Onboarding redesign shipped", "Hiring funnel conversion up 20%": a
	 * gerund that opens a noun phrase, unless an object follows it */
	if (h >= 0 && v.form == F_ING && !is_quantity(x, h + 1) &&
	    !word_in(x, h + 1, " a an the our all every new ") &&
	    !word_in(x, h + 1, PARTICLES) &&
	    (has_change(x, h) || noun_first_predicate(x) >= 0))
		h = -1;
	if (h < 0)
		return noun_first_verdict(x, from, to);
	refine_head(x, h, &v);
	return v.kind == V_ACT ? act_verdict(x, h, &v, from, to)
	                       : light_verdict(x, h, &v, from, to);
}

bool okra__text_has_number(const char *text)
{
	tokens x;

	analyse(&x, text);
	return quantity_from(&x, x.s);
}

bool okra__text_kr_is_activity(const char *title)
{
	tokens x;
	int from, to;

	analyse(&x, title);
	return kr_activity(&x, &from, &to);
}

int okra__text_kr_direction(const char *title, char *word, size_t cap)
{
	tokens x;
	verb v;
	int h, dir = 0, at = -1;

	if (cap)
		word[0] = '\0';
	analyse(&x, title);
	h = find_head(&x, &v);
	if (h >= 0 && v.kind == V_DIR && !word_is(&x, h + 1, "down")) {
		/* "Double down on enterprise" is an idiom, not a change */
		dir = in_lex(UP_VERBS, v.base)     ? 1
		      : in_lex(DOWN_VERBS, v.base) ? -1
		                                   : 0;
		at = h;
	} else if (h < 0) {
		/* "Churn down from 4% to 2%", "Activation up 20%" */
		for (int i = x.s + 1; i < x.n && !dir; i++)
			if (word_in(&x, i, " up down ") &&
			    (is_level(&x, i + 1) ||
			     word_in(&x, i + 1, " from by "))) {
				dir = word_is(&x, i, "up") ? 1 : -1;
				at = i;
			}
	}
	if (dir && cap) {
		size_t len = strlen(x.t[at].s);
		len = len < cap - 1 ? len : cap - 1;
		memcpy(word, x.t[at].s, len);
		word[len] = '\0';
	}
	return dir;
}

bool okra__text_kr_is_unmeasurable(const char *title)
{
	tokens x;

	analyse(&x, title);
	return !quantity_from(&x, x.s) && !has_change(&x, x.s);
}

/* ======================================================================
 * The object of an activity, for the hint
 * ====================================================================== */

/* Where the noun phrase stops: a deadline ("by Q3", "in Q2", "before
 * launch", "end of November"), a purpose ("to grow", "so that"), a rollout
 * scope ("to 40% of users") or punctuation. */
static bool ends_object(const tokens *x, int i)
{
	const tok *t = &x->t[i];

	if (t->kind == TK_SYM)
		return strchr(",;:(", t->s[0]) != NULL;
	if (t->kind != TK_WORD)
		return false;
	if (in_lex(OBJECT_ENDS, t->s) ||
	    (!strcmp(t->s, "in") && word_in(x, i + 1, " place production ")))
		return true;
	if (in_lex(" in on for during ", t->s) &&
	    (word_in(x, i + 1, MONTHS) ||
	     (i + 1 < x->n &&
	      (is_year(&x->t[i + 1]) || x->t[i + 1].has_digit)) ||
	     word_in(x, i + 1, " time this next ")))
		return true; /* "in Q2", "on 30 June", "in time for" */
	if (in_lex(" to for across in with from ", t->s) &&
	    (is_quantity(x, i + 1) || word_in(x, i + 1, " all every ")))
		return true; /* "to 40% of users", "from 20 to 35" */
	if (in_lex(" this next ", t->s) && word_in(x, i + 1, TIME_UNITS))
		return true;
	if (in_lex(" to and ", t->s) && verb_at(x, i + 1).kind != V_NONE &&
	    verb_at(x, i + 1).form != F_S)
		return true; /* "to grow traffic", "and test it" */
	return false;
}

bool okra__text_activity_object(const char *title, char *out, size_t cap)
{
	tokens x;
	int from, to;
	size_t a, b, len;

	if (cap == 0)
		return false;
	out[0] = '\0';
	analyse(&x, title);
	if (!kr_activity(&x, &from, &to))
		return false;
	/* "Publish 12 blog posts", "Train 100% of managers", "Speak at 2
	 * conferences": the things, not the count or the preposition */
	while (from < to &&
	       (is_quantity(&x, from) || x.t[from].kind == TK_SYM ||
	        word_in(&x, from,
	                " all every of with at on about to for in together ")))
		from++;
	for (int i = from; i < to; i++)
		if (ends_object(&x, i)) {
			to = i;
			break;
		}
	/* "SSO is implemented", "Dark mode turned on by default" */
	while (to > from &&
	       word_in(&x, to - 1,
	               " for in on at by to with of and the a an from is are "
	               "was were be been has have had will turned switched "))
		to--;
	if (from >= to)
		return false;
	a = x.t[from].off;
	b = x.t[to - 1].end;
	while (b > a && strchr(" .,;:-", title[b - 1]))
		b--;
	len = b - a < cap - 1 ? b - a : cap - 1;
	while (len > 0 && len < b - a &&
	       ((unsigned char)title[a + len] & 0xC0) == 0x80)
		len--; /* never cut a UTF-8 sequence */
	memcpy(out, title + a, len);
	out[len] = '\0';
	/* "Onboarding redesign shipped": lowercase a capitalised first word */
	if (from == x.s && x.t[from].is_cap && !x.t[from].is_upper && len > 0)
		out[0] = (char)(out[0] | 32);
	return len > 0;
}

/* ======================================================================
 * Objectives: objective-metric and objective-vague
 * ====================================================================== */

/* "#1", "No. 1", "number one": the idiom, not a target. */
static bool is_rank_one(const tokens *x, int i)
{
	return x->t[i].kind == TK_NUM && x->t[i].value == 1 && !x->t[i].num &&
	       (sym_is(x, i - 1, '#') || word_in(x, i - 1, " no number "));
}

/* "our top 100 accounts", "accounts under 50 seats", "companies with 10-50
 * employees": a number that draws the audience, not a target. */
static bool draws_audience(const tokens *x, int i)
{
	int j = i + 1;

	while (j < x->n && x->t[j].kind == TK_NUM && x->t[j].joiner == '-')
		j++; /* a range */
	if (word_is(x, i - 1, "top"))
		return word_in(x, j, POPULATION) ||
		       word_in(x, j + 1, POPULATION);
	if (!word_in(x, j,
	             " seats employees people staff users members engineers "
	             "locations stores ") ||
	    !word_in(x, i - 1,
	             " under over with of below above than fewer less more "))
		return false;
	for (int k = i - 2; k >= x->s && k >= i - 5; k--)
		if (word_in(x, k, POPULATION) || word_in(x, k, AUDIENCE_NOUNS))
			return true;
	return false;
}

bool okra__text_objective_is_metric(const char *title)
{
	tokens x;

	analyse(&x, title);
	for (int i = x.s; i < x.n; i++)
		if (is_quantity(&x, i) && !is_rank_one(&x, i) &&
		    !draws_audience(&x, i))
			return true;
	return false;
}

/* Generic objectives are built from a closed vocabulary ("Improve the
 * product", "Increase engagement"); a specific one names an audience or
 * segment, or at least two words outside that vocabulary. */
bool okra__text_objective_is_vague(const char *title)
{
	tokens x;
	int specific = 0, caps = 0, words = 0;
	bool title_case;

	analyse(&x, title);
	for (int i = x.s + 1; i < x.n; i++)
		if (x.t[i].kind == TK_WORD && !in_lex(STOPWORDS, x.t[i].s)) {
			words++;
			caps += x.t[i].is_cap;
		}
	title_case = words >= 2 && caps * 10 >= words * 6;
	for (int i = 0; i < x.n; i++) {
		const tok *t = &x.t[i];
		if (t->kind == TK_NUM && draws_audience(&x, i))
			return false; /* "our top 100 accounts" */
		if (t->kind != TK_WORD || in_lex(STOPWORDS, t->s))
			continue;
		if (in_lex(SEGMENT_WORDS, t->s))
			return false;
		if (!strcmp(t->s, "go") && i + 1 < x.n &&
		    x.t[i + 1].joiner == '-' && word_is(&x, i + 1, "to")) {
			specific++; /* "the go-to platform for ...": a position
			             */
			i++;
			continue;
		}
		if (!strcmp(t->s, "new")) {
			int j = i + 1;
			while (word_in(&x, j, STOPWORDS))
				j++;
			if (word_in(&x, j, AUDIENCE_NOUNS))
				return false; /* "new accounts" */
		}
		if (i > x.s && ((t->is_cap && !title_case) || t->is_upper) &&
		    !in_lex(GENERIC_WORDS, t->s))
			return false; /* a proper name: "Germany", "Shopify",
			                 "EMEA" */
		if (i < x.s || in_lex(GENERIC_WORDS, t->s) ||
		    is_number_word(&x, i) || !strcmp(t->s, "one") ||
		    (i == x.s && verb_at(&x, i).kind != V_NONE))
			continue; /* a stripped prefix names a segment at most
			           */
		if (t->s[0] && is_alpha((unsigned char)t->s[0]))
			specific++;
	}
	return specific <= 1;
}
