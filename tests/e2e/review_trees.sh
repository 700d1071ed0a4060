#!/bin/sh
# The weekly review names the top driver of each red or yellow key result
# whose metric is in a KPI tree: the tree-sales case's workspace (revenue
# = leads x conversion x deal_size) with two key results on revenue, one
# pinned to a segment, both far behind.  The numbers are those of the
# case's hand-computed attribution (tests/cases/tree-sales/README.md).
. "$(dirname "$0")/lib.inc"

W="$TMP/ws"
cp -R "$SRCDIR/tests/cases/tree-sales" "$W"
rm -f "$W/cmd" "$W/expected" "$W/status" "$W/README.md"
sed -i 's/expr: leads \* conversion \* deal_size, unit: currency}/expr: leads * conversion * deal_size, unit: currency, segments: [tier]}/' "$W/okra.yaml"
cat >"$W/okrs.yaml" <<'YAML'
objectives:
  - id: grow_revenue
    title: Grow revenue from new deals in the pro segment and beyond
    quarter: 2026-Q1
    key_results:
      - id: revenue_up
        title: Increase revenue from 2000 to 5000
        metric: revenue
        baseline: 2000
        target: 5000
      - id: revenue_pro
        title: Increase pro revenue from 2000 to 5000
        metric: revenue
        where: {tier: pro}
        baseline: 2000
        target: 5000
      - id: leads_up
        title: Increase leads from 5 to 15
        metric: leads
        baseline: 5
        target: 15
YAML

expect_status 0 "$OKRA" -C "$W" review --asof 2026-03-09
expect_out "revenue_up (red): in the week to 2026-03-09, deals added +\$800 of the +\$900 change in revenue (89%); 50% of that came from tier=enterprise."
expect_out "revenue_pro (red): in the week to 2026-03-09, where tier=pro, "
# A key result on track gets no driver line; one whose metric is in no
# tree neither (leads is in the tree: green here, so none).
expect_no_out "leads_up (green)"
expect_status 0 "$OKRA" -C "$W" review --asof 2026-03-09 --format json
expect_out '"text":"revenue_up (red): in the week to 2026-03-09, deals added +$800 of the +$900 change in revenue (89%)'
finish
