/*
 * test_text.c - the wording rules of `okra lint` (src/okr/text.c).
 *
 * Focused cases for each classifier, a robustness run on long and odd
 * input, and the labelled corpus (tests/corpus/): per rule precision
 * and recall are printed with every misclassified row, and the test fails
 * below 0.90 on the training corpus, below 0.80 on the held-out one.
 */
/* cmocka needs these, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include "okra_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIN_SCORE   0.90 /* training corpus */
#define MIN_HELDOUT 0.80 /* held-out corpus */

/* ---------------------------------------------------------------------- */

static void test_has_number(void **state)
{
	(void)state;
	assert_true(
	    okra__text_has_number("Increase activation rate from 38% to 60%"));
	assert_true(okra__text_has_number("Grow weekly active accounts 3x"));
	assert_true(okra__text_has_number("Reach $1.2M ARR"));
	assert_true(okra__text_has_number("NPS 50 or higher among enterprise"));
	assert_true(okra__text_has_number("Hit 10k weekly active users"));
	assert_true(okra__text_has_number("Keep p95 latency < 200 ms"));
	assert_true(okra__text_has_number("Reduce churn by 2 points"));
	assert_true(okra__text_has_number("Cut the backlog in half"));
	assert_true(okra__text_has_number("Grow signups by ten percent"));
	assert_true(
	    okra__text_has_number("Twice as many teams invite a teammate"));
	assert_true(okra__text_has_number("Double weekly active creators"));
	assert_true(okra__text_has_number("Zero P1 incidents"));
	assert_true(okra__text_has_number("Reach 4.5/5 in app store ratings"));
	assert_true(okra__text_has_number("Grow revenue to €2M"));
	assert_true(okra__text_has_number("Reduce lead time to 1 day"));
	assert_true(okra__text_has_number("Reach 2000 customers"));
	assert_true(okra__text_has_number("Reduce DSO from 60 to 45 days"));
	/* dates, labels, versions and qualifiers are not numbers */
	assert_false(okra__text_has_number("Improve onboarding by Q3"));
	assert_false(okra__text_has_number("Ship the redesign by Nov 15"));
	assert_false(
	    okra__text_has_number("Ship the redesign by 15 November 2026"));
	assert_false(
	    okra__text_has_number("Grow organic traffic by end of 2026"));
	assert_false(okra__text_has_number("Publish the 2026 roadmap"));
	assert_false(okra__text_has_number("Improve 30-day retention"));
	assert_false(okra__text_has_number("Improve week-1 retention"));
	assert_false(okra__text_has_number("Improve p95 latency"));
	assert_false(okra__text_has_number("Grow the B2B customer base"));
	assert_false(okra__text_has_number("Get more reviews on G2"));
	assert_false(okra__text_has_number(
	    "Improve response times for tier 1 customers"));
	assert_false(okra__text_has_number("Provide 24/7 support"));
	assert_false(
	    okra__text_has_number("Roll out two-factor authentication"));
	assert_false(okra__text_has_number("KR1: Improve onboarding"));
	assert_false(okra__text_has_number("1. Improve onboarding"));
	assert_false(
	    okra__text_has_number("Launch in the second half of the year"));
	assert_false(okra__text_has_number("Double down on enterprise"));
	assert_false(okra__text_has_number(""));
}

static void test_kr_activity(void **state)
{
	(void)state;
	assert_true(okra__text_kr_is_activity(
	    "Ship the onboarding redesign by Nov 15"));
	assert_true(
	    okra__text_kr_is_activity("Complete the data warehouse migration"));
	assert_true(okra__text_kr_is_activity("Publish 12 blog posts"));
	assert_true(okra__text_kr_is_activity("Hire 5 engineers"));
	assert_true(okra__text_kr_is_activity("Run 5 workshops"));
	assert_true(okra__text_kr_is_activity(
	    "Hold 10 interviews with enterprise admins"));
	assert_true(okra__text_kr_is_activity("Shipped the new billing page"));
	assert_true(
	    okra__text_kr_is_activity("Launching a referral program in Q2"));
	assert_true(okra__text_kr_is_activity(
	    "Have a documented incident process in place"));
	assert_true(
	    okra__text_kr_is_activity("KR1: Launch the partner portal"));
	assert_true(okra__text_kr_is_activity(
	    "- We will roll out SSO to 100% of accounts"));
	assert_true(okra__text_kr_is_activity(
	    "Onboarding redesign shipped by end of October"));
	assert_true(
	    okra__text_kr_is_activity("New help center live by March 1"));
	assert_true(
	    okra__text_kr_is_activity("Achieve SOC 2 Type II certification"));
	assert_true(
	    okra__text_kr_is_activity("Go live with the new ERP system"));
	assert_true(okra__text_kr_is_activity(
	    "Publish 12 blog posts to grow organic traffic"));
	assert_true(
	    okra__text_kr_is_activity("Launch the beta to 40% of users"));
	assert_true(okra__text_kr_is_activity("a) Ship the mobile redesign"));
	assert_true(okra__text_kr_is_activity("Q3: Ship the mobile redesign"));
	assert_true(okra__text_kr_is_activity("SOC 2 audit passed"));
	assert_true(
	    okra__text_kr_is_activity("Customers can export reports to PDF"));
	assert_true(okra__text_kr_is_activity(
	    "Grow the engineering team from 20 to 35 people"));
	/* counted outputs, talks and reviews, also with a subject */
	assert_true(okra__text_kr_is_activity("Author 6 whitepapers"));
	assert_true(okra__text_kr_is_activity("Carry out 5 penetration tests"));
	assert_true(okra__text_kr_is_activity("Speak at 4 conferences"));
	assert_true(
	    okra__text_kr_is_activity("Team publishes 4 articles per month"));
	assert_true(
	    okra__text_kr_is_activity("Each engineer writes 2 blog posts"));
	/* hiring and onboarding the company's own people */
	assert_true(okra__text_kr_is_activity("Add 3 new hires to support"));
	assert_true(okra__text_kr_is_activity("Make offers to 5 candidates"));
	assert_true(okra__text_kr_is_activity("Bring headcount to 40"));
	assert_true(okra__text_kr_is_activity(
	    "Double the size of the engineering team"));
	assert_true(
	    okra__text_kr_is_activity("Get 2 new data scientists on board"));
	/* completion states, preparation, plans */
	assert_true(okra__text_kr_is_activity("Autosave is on by default"));
	assert_true(
	    okra__text_kr_is_activity("Dark mode turned on by default"));
	assert_true(okra__text_kr_is_activity("Ready for launch by Q3"));
	assert_true(okra__text_kr_is_activity("Have a roadmap for 2027"));
	assert_true(okra__text_kr_is_activity(
	    "Come up with a plan for international expansion"));
	assert_true(
	    okra__text_kr_is_activity("Put together a go-to-market plan"));
	/* outcomes, including activity verbs inside the measured noun phrase */
	assert_false(okra__text_kr_is_activity(
	    "Increase activation rate from 38% to 60%"));
	assert_false(
	    okra__text_kr_is_activity("Increase the number of customers who "
	                              "launch a campaign from 10% to 30%"));
	assert_false(okra__text_kr_is_activity("Maintain uptime above 99.9%"));
	assert_false(
	    okra__text_kr_is_activity("Keep support backlog under 50 tickets"));
	assert_false(okra__text_kr_is_activity(
	    "Complete onboarding within 7 days for 80% of new accounts"));
	assert_false(okra__text_kr_is_activity(
	    "95% of tickets answered within 4 hours"));
	assert_false(
	    okra__text_kr_is_activity("Hold gross churn below 1% per month"));
	assert_false(okra__text_kr_is_activity(
	    "Test coverage above 80% on the payments service"));
	assert_false(okra__text_kr_is_activity(
	    "Users who complete the tutorial: 35% → 55%"));
	assert_false(
	    okra__text_kr_is_activity("Add 300 net new paying accounts"));
	assert_false(
	    okra__text_kr_is_activity("Build $3M of qualified pipeline"));
	assert_false(okra__text_kr_is_activity("Churn: 4% → 2%"));
	assert_false(okra__text_kr_is_activity(
	    "Resolve 80% of support tickets on first contact"));
	assert_false(okra__text_kr_is_activity(
	    "Build stronger relationships with key accounts"));
	/* the people a release reaches; customers who come on board */
	assert_false(okra__text_kr_is_activity("Ship to 10,000 beta users"));
	assert_false(
	    okra__text_kr_is_activity("Launch to 2,500 paying customers"));
	assert_true(okra__text_kr_is_activity(
	    "Launch the new onboarding flow to 40% of users"));
	assert_false(okra__text_kr_is_activity(
	    "Get 500 developers on board with the new SDK"));
	assert_false(okra__text_kr_is_activity(
	    "Add 250 new paying customers in the mid-market"));
	assert_false(okra__text_kr_is_activity(
	    "90% of new hires onboarded within their first 2 weeks"));
	/* documented rule: an activity with a measured second clause is an
	 * outcome */
	assert_false(okra__text_kr_is_activity(
	    "Launch the beta to 40% of users and reach 20% adoption"));
	assert_false(okra__text_kr_is_activity("Improve onboarding"));
	assert_false(okra__text_kr_is_activity(""));
}

static void test_kr_unmeasurable(void **state)
{
	(void)state;
	assert_true(okra__text_kr_is_unmeasurable("Improve onboarding"));
	assert_true(okra__text_kr_is_unmeasurable("Make users happier"));
	assert_true(
	    okra__text_kr_is_unmeasurable("Better experience for admins"));
	assert_true(
	    okra__text_kr_is_unmeasurable("Increase engagement significantly"));
	assert_true(okra__text_kr_is_unmeasurable("Delight customers"));
	assert_true(
	    okra__text_kr_is_unmeasurable("Increase trial conversions by Q3"));
	assert_true(okra__text_kr_is_unmeasurable("Improve 30-day retention"));
	assert_true(okra__text_kr_is_unmeasurable("KR2: Keep churn low"));
	assert_true(okra__text_kr_is_unmeasurable(""));
	assert_false(okra__text_kr_is_unmeasurable("Reduce churn to 4%"));
	assert_false(
	    okra__text_kr_is_unmeasurable("Cut the support backlog in half"));
	assert_false(okra__text_kr_is_unmeasurable(
	    "Release frequency up from weekly to daily"));
	assert_false(okra__text_kr_is_unmeasurable(
	    "Zero P1 incidents caused by deploys"));
	assert_false(
	    okra__text_kr_is_unmeasurable("Page load time below 2 seconds"));
	assert_false(
	    okra__text_kr_is_unmeasurable("Grow MRR from $80k to $120k"));
	/* the lint rule: activity wins over unmeasurable */
	assert_true(okra__text_kr_is_activity("Ship the redesign"));
}

static void expect_direction(const char *title, int want, const char *word)
{
	char got[32];

	assert_int_equal(okra__text_kr_direction(title, got, sizeof got), want);
	assert_string_equal(got, word);
}

static void test_kr_direction(void **state)
{
	char small[4];

	(void)state;
	expect_direction("Increase activation rate from 38% to 60%", 1,
	                 "increase");
	expect_direction("KR1: Grow weekly active teams 3x", 1, "grow");
	expect_direction("Doubling the number of paying teams", 1, "doubling");
	expect_direction("Raised NPS to 50", 1, "raised");
	expect_direction("Reduce time to first report from 26 h to 8 h", -1,
	                 "reduce");
	expect_direction("Cut churn in half", -1, "cut");
	expect_direction("We will lower CAC to $200", -1, "lower");
	expect_direction("Halve the support backlog", -1, "halve");
	expect_direction("Churn down from 4% to 2%", -1, "down");
	expect_direction("Weekly activation up 20%", 1, "up");
	/* no direction in the words */
	expect_direction("Improve onboarding completion to 60%", 0, "");
	expect_direction("Keep churn below 2%", 0, "");
	expect_direction("Reach 60% activation", 0, "");
	expect_direction("Double down on enterprise accounts", 0, "");
	expect_direction("Ship the onboarding redesign", 0, "");
	expect_direction("Sign-ups up and to the right", 0, "");
	expect_direction("", 0, "");
	/* the word is cut to fit, NUL-terminated */
	assert_int_equal(
	    okra__text_kr_direction("Increase activation", small, sizeof small),
	    1);
	assert_string_equal(small, "inc");
	assert_int_equal(okra__text_kr_direction("Reduce churn", small, 0), -1);
}

static void test_objective_metric(void **state)
{
	(void)state;
	assert_true(okra__text_objective_is_metric("Increase NPS to 50"));
	assert_true(okra__text_objective_is_metric("Reach $10M ARR"));
	assert_true(okra__text_objective_is_metric("Grow MAU by 30%"));
	assert_true(okra__text_objective_is_metric("Reduce churn below 3%"));
	assert_true(
	    okra__text_objective_is_metric("Double enterprise revenue"));
	assert_true(okra__text_objective_is_metric("Make checkout 2x faster"));
	assert_true(okra__text_objective_is_metric("Hit 1 million downloads"));
	assert_true(
	    okra__text_objective_is_metric("O3: Reach 1,000 paying teams"));
	assert_true(
	    okra__text_objective_is_metric("Cut acquisition cost in half"));
	assert_false(okra__text_objective_is_metric(
	    "Make activation a reliable, fast path to value for new accounts"));
	assert_false(okra__text_objective_is_metric(
	    "Be the #1 analytics tool for Shopify merchants"));
	assert_false(okra__text_objective_is_metric(
	    "Make 2026 the year our platform becomes self-serve"));
	assert_false(okra__text_objective_is_metric(
	    "Provide 24/7 support enterprise customers rely on"));
	assert_false(okra__text_objective_is_metric(
	    "Make the first 30 days feel guided"));
	assert_false(
	    okra__text_objective_is_metric("Offer a one-click migration path"));
	assert_false(
	    okra__text_objective_is_metric("Win the mid-market segment in Q3"));
}

static void test_objective_vague(void **state)
{
	(void)state;
	assert_true(okra__text_objective_is_vague("Improve the product"));
	assert_true(okra__text_objective_is_vague("Increase engagement"));
	assert_true(okra__text_objective_is_vague("Be the best"));
	assert_true(okra__text_objective_is_vague("Make things better"));
	assert_true(okra__text_objective_is_vague("Grow"));
	assert_true(okra__text_objective_is_vague("Delight our customers"));
	assert_true(okra__text_objective_is_vague("Improve onboarding"));
	assert_true(okra__text_objective_is_vague("Become the go-to platform"));
	assert_true(
	    okra__text_objective_is_vague("Objective 2: Improve the platform"));
	assert_true(okra__text_objective_is_vague(
	    "Take The Business To The Next Level"));
	assert_true(okra__text_objective_is_vague(""));
	assert_false(okra__text_objective_is_vague(
	    "Make activation a reliable, fast path to value for new accounts"));
	assert_false(okra__text_objective_is_vague(
	    "Become the tool enterprise admins trust for security reviews"));
	assert_false(okra__text_objective_is_vague(
	    "Help new teams reach their first report in their first week"));
	assert_false(okra__text_objective_is_vague(
	    "Win the mid-market segment in Germany"));
	assert_false(okra__text_objective_is_vague(
	    "Make on-call sustainable for the platform team"));
	assert_false(okra__text_objective_is_vague(
	    "Make enterprise onboarding predictable and fast"));
	assert_false(okra__text_objective_is_vague(
	    "Become the go-to platform for product analytics"));
}

static void expect_object(const char *title, const char *want)
{
	char out[160];

	if (want) {
		assert_true(okra__text_activity_object(title, out, sizeof out));
		assert_string_equal(out, want);
	} else {
		assert_false(
		    okra__text_activity_object(title, out, sizeof out));
		assert_string_equal(out, "");
	}
}

static void test_activity_object(void **state)
{
	char small[8];

	(void)state;
	expect_object("Ship the onboarding redesign by Nov 15",
	              "the onboarding redesign");
	expect_object("Complete the data warehouse migration",
	              "the data warehouse migration");
	expect_object("Publish 12 blog posts", "blog posts");
	expect_object("Finish the security audit by end of November",
	              "the security audit");
	expect_object("Launch the new pricing page before launch week",
	              "the new pricing page");
	expect_object("Release v2 of the mobile app by Q3",
	              "v2 of the mobile app");
	expect_object("KR1: Launch the partner portal in Q2",
	              "the partner portal");
	expect_object("We will roll out SSO to 100% of enterprise accounts",
	              "SSO");
	expect_object("Publish 12 blog posts to grow organic traffic",
	              "blog posts");
	expect_object("Publishing two case studies per month", "case studies");
	expect_object("Design and test 3 new onboarding emails",
	              "new onboarding emails");
	expect_object("Hire 5 senior backend engineers",
	              "senior backend engineers");
	expect_object("Onboarding redesign shipped by end of October",
	              "onboarding redesign");
	expect_object("Get the new pricing page live by September",
	              "the new pricing page");
	expect_object("Have a documented incident response process in place",
	              "a documented incident response process");
	expect_object("Go live with the new ERP system", "the new ERP system");
	expect_object("Each engineer writes 2 blog posts", "blog posts");
	expect_object("SSO is implemented", "SSO");
	expect_object("Dark mode turned on by default", "dark mode");
	expect_object("Put together a go-to-market plan",
	              "a go-to-market plan");
	expect_object("Ship to 10,000 beta users", NULL);
	expect_object("Increase activation rate from 38% to 60%", NULL);
	expect_object("Improve onboarding", NULL);
	/* truncation keeps the NUL and never splits a UTF-8 sequence */
	assert_true(okra__text_activity_object("Ship the onboarding redesign",
	                                       small, sizeof small));
	assert_string_equal(small, "the onb");
	assert_true(
	    okra__text_activity_object("Ship the café redesign", small, 8));
	assert_string_equal(small, "the caf");
	assert_true(okra__text_activity_object("Ship the caféx", small, 8));
	assert_string_equal(small, "the caf");
	assert_false(okra__text_activity_object("Ship the redesign", small, 0));
}

/* Every function on long, binary and pathological input: no crash, no
 * overflow (run under ASan/UBSan in CI). */
static void run_all(const char *s)
{
	char out[64];

	(void)okra__text_has_number(s);
	(void)okra__text_kr_is_activity(s);
	(void)okra__text_kr_is_unmeasurable(s);
	(void)okra__text_kr_direction(s, out, sizeof out);
	assert_true(strlen(out) < sizeof out);
	(void)okra__text_objective_is_vague(s);
	(void)okra__text_objective_is_metric(s);
	(void)okra__text_activity_object(s, out, sizeof out);
	assert_true(strlen(out) < sizeof out);
	(void)okra__text_activity_object(s, out, 1);
	assert_string_equal(out, "");
}

static void test_robustness(void **state)
{
	enum { BIG = 100 * 1024 };
	static const char *const odd[] = {
	    "$",
	    "%",
	    "#",
	    "1",
	    "1.",
	    "-",
	    "->",
	    "\xE2",
	    "\xE2\x82",
	    "\xE2\x86",
	    "\xC2",
	    "\xE2\x80\x99",
	    "a\xE2\x80\x99",
	    "ship\xE2\x80\x99s",
	    "1,",
	    ",1",
	    "1.2.3.4.5",
	    "99999999999999999999%",
	    "Ship ,,,,",
	    "Ship the",
	    "KR1:",
	    "KR1: ",
	    "We will",
	    "to",
	    "Ship by",
	    "we will we will",
	    "Go live",
	    "in place",
	    "\xF0\x9F\x9A\x80 Ship the rocket \xF0\x9F\x9A\x80",
	    "Ship the \xFF\xFE\xFD redesign",
	    "Double",
	    "Have it in",
	    "up and",
	    "Make 5",
	    "/2/3",
	    "8/",
	    "/8",
	    "Ensure 100%",
	    "Ensure",
	    "Go",
	    "Every",
	    "can",
	    "a/b",
	};
	char *big = malloc(BIG + 1);
	uint32_t seed = 12345;

	(void)state;
	assert_non_null(big);
	for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++)
		run_all(odd[i]);
	for (int i = 0; i < BIG; i++) /* pseudo-random bytes, no NUL */
		big[i] = (char)((seed = seed * 1103515245u + 12345u) >> 24 | 1);
	big[BIG] = '\0';
	run_all(big);
	for (int i = 0; i < BIG; i++) /* words and numbers */
		big[i] = "Ship the 12 onboarding redesigns by Q3 for 40% of "
		         "1,000 teams "[i % 62];
	run_all(big);
	assert_true(okra__text_kr_is_activity(big));
	/* more tokens than the tokenizer keeps, so lookahead meets the end of
	 * the token array (found by fuzzing) */
	for (int i = 0; i < BIG; i++)
		big[i] = "Add dark mode to the "[i % 21];
	big[BIG] = '\0';
	run_all(big);
	for (int i = 0; i < BIG; i++)
		big[i] = "Ensure 100% "[i % 12];
	run_all(big);
	memset(big, 'a', BIG); /* one endless word */
	run_all(big);
	memset(big, '9', BIG); /* one endless number */
	run_all(big);
	for (int i = 0; i < BIG; i++) /* endless UTF-8: "→€’" */
		big[i] = "\xE2\x86\x92\xE2\x82\xAC\xE2\x80\x99"[i % 9];
	big[BIG - 1] = '\0';
	run_all(big);
	free(big);
}

/* ----------------------------------------------------------------------
 * The corpus
 * ---------------------------------------------------------------------- */

typedef struct score {
	const char *rule;
	int tp, fp, fn, n;
} score;

static double ratio(int a, int b)
{
	return b ? (double)a / b : 1.0;
}

/* Opens tests/corpus/NAME under $SRCDIR (or the current directory). */
static FILE *open_corpus(const char *name)
{
	const char *dir = getenv("SRCDIR");
	char path[4096];

	snprintf(path, sizeof path, "%s/tests/corpus/%s",
	         dir && *dir ? dir : ".", name);
	FILE *f = fopen(path, "r");
	if (!f)
		fprintf(stderr, "cannot open %s\n", path);
	return f;
}

/* Splits "label<TAB>text\n"; false for comments, blank lines and junk. */
static bool split_row(char *line, char **label, char **text)
{
	char *tab = strchr(line, '\t');

	line[strcspn(line, "\r\n")] = '\0';
	if (line[0] == '#' || !tab)
		return false;
	*tab = '\0';
	*label = line;
	*text = tab + 1;
	return true;
}

static void count(score *s, bool want, bool got, const char *label,
                  const char *text)
{
	s->n++;
	if (want && got)
		s->tp++;
	else if (got)
		s->fp++, printf("  %s false positive [%s]: %s\n", s->rule,
		                label, text);
	else if (want)
		s->fn++, printf("  %s false negative [%s]: %s\n", s->rule,
		                label, text);
}

static bool report(const score *s, double min)
{
	double p = ratio(s->tp, s->tp + s->fp), r = ratio(s->tp, s->tp + s->fn);

	printf("%s: precision %.2f (TP %d, FP %d) recall %.2f (FN %d) n=%d\n",
	       s->rule, p, s->tp, s->fp, r, s->fn, s->n);
	return p >= min && r >= min;
}

/* The four rules over one pair of corpus files; false when any falls
 * below min. */
static bool score_corpus(const char *krs, const char *objectives, double min)
{
	score activity = {"kr-activity", 0, 0, 0, 0},
	      unmeasurable = {"kr-unmeasurable", 0, 0, 0, 0};
	score metric = {"objective-metric", 0, 0, 0, 0},
	      vague = {"objective-vague", 0, 0, 0, 0};
	char line[1024], *label, *text;
	bool ok = true;
	FILE *f;

	printf("%s, %s:\n", krs, objectives);
	f = open_corpus(krs);
	assert_non_null(f);
	while (fgets(line, sizeof line, f)) {
		if (!split_row(line, &label, &text))
			continue;
		assert_true(!strcmp(label, "activity") ||
		            !strcmp(label, "unmeasurable") ||
		            !strcmp(label, "outcome"));
		bool act = okra__text_kr_is_activity(text);
		count(&activity, !strcmp(label, "activity"), act, label, text);
		count(&unmeasurable, !strcmp(label, "unmeasurable"),
		      !act && okra__text_kr_is_unmeasurable(text), label, text);
	}
	fclose(f);
	f = open_corpus(objectives);
	assert_non_null(f);
	while (fgets(line, sizeof line, f)) {
		if (!split_row(line, &label, &text))
			continue;
		assert_true(!strcmp(label, "metric") ||
		            !strcmp(label, "vague") || !strcmp(label, "good"));
		bool is_metric = okra__text_objective_is_metric(text);
		count(&metric, !strcmp(label, "metric"), is_metric, label,
		      text);
		count(&vague, !strcmp(label, "vague"),
		      !is_metric && okra__text_objective_is_vague(text), label,
		      text);
	}
	fclose(f);
	ok &= report(&activity, min);
	ok &= report(&unmeasurable, min);
	ok &= report(&metric, min);
	ok &= report(&vague, min);
	assert_true(activity.n >= 100 && metric.n >= 30);
	return ok;
}

/* The training corpus: the rules were tuned on it. */
static void test_corpus(void **state)
{
	(void)state;
	assert_true(
	    score_corpus("key_results.tsv", "objectives.tsv", MIN_SCORE));
}

/* The held-out corpus: never tuned on, so its figures estimate unseen
 * titles; the floor is lower, and a miss here is reported, not fixed. */
static void test_corpus_heldout(void **state)
{
	(void)state;
	assert_true(score_corpus("key_results_heldout.tsv",
	                         "objectives_heldout.tsv", MIN_HELDOUT));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_has_number),
	    cmocka_unit_test(test_kr_activity),
	    cmocka_unit_test(test_kr_unmeasurable),
	    cmocka_unit_test(test_kr_direction),
	    cmocka_unit_test(test_objective_metric),
	    cmocka_unit_test(test_objective_vague),
	    cmocka_unit_test(test_activity_object),
	    cmocka_unit_test(test_robustness),
	    cmocka_unit_test(test_corpus),
	    cmocka_unit_test(test_corpus_heldout),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
