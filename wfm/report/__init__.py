"""Reports, the last stage: what a planner reads and what machines read.

    tables          terminal tables (rich): requirement, calculator, forecast overview, plan, schedule
    documents       the requirement and the calculator as columns, CSV and JSON
    plan_documents  the plan's shifts.csv, coverage.csv and summary.json
    plan_files      the plan folder: every file, written whole (wfm.outputs)
    html            report.html: one self-contained page with inline SVG charts (html_charts)
    numbers         number formatting shared by all of them

Nothing is imported here, so ``import wfm.report.tables`` pulls in neither pyarrow nor matplotlib.
"""
