"""Git as the audit trail: revisions by date, a record's versions, readable logs, semantic diffs."""
