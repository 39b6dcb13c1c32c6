"""Pure decisions: findings, statuses, notice periods, routing."""
