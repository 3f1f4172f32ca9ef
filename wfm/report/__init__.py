"""Reports, the last stage: what a planner reads and what machines read.

    tables          terminal tables (rich): requirement, calculator, forecast overview, plan, schedule
    documents       the requirement and the calculator as columns, CSV and JSON
    plan_documents  the plan's shifts.csv, coverage.csv and summary.json
    plan_files      the plan folder: every file, written whole (wfm.outputs)
    cost_tables     terminal tables of a plan's cost and contract P&L
    simulation      `wfm simulate` output: tables, CSV and JSON
    xlsx            plan.xlsx (openpyxl)
    html            report.html: one self-contained page with inline SVG charts (html_charts)
    backtest_html   `wfm backtest --html`; whatif_html: `wfm whatif --html`
    html_charts     the plan page's charts; backtest_chart, capacity_chart: the other pages' charts
    chart_svg       figures as inline SVG (matplotlib settings, colours); chart_axes, chart_days: shared axes
    queue_totals    totals over a queue's intervals for the pages (numpy only)
    page_text       escaping and percentages on the pages
    numbers         number formatting shared by all of them

Nothing is imported here, so ``import wfm.report.tables`` pulls in neither pyarrow nor matplotlib.
"""
