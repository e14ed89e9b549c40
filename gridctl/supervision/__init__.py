"""督查闭环: inspections, the event lifecycle, what is due, monthly reports, registers and 考核.

A library over the loaded ledger; the CLI (gridctl.cli.supervision, gridctl.cli.events,
gridctl.cli.reports) only parses, calls and renders. Every rule comes from gridctl.yaml's
`supervision:` block; the clock is always passed in, never read here.
"""
