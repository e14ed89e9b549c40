"""Many hands on one ledger: merging by record and field, conflicts, sync, bundles and review."""
