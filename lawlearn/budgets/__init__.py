"""Budgets (预算): standards, allocations to towns, disbursements with vouchers, and each
town's planned / allocated / disbursed / spent figures and execution rate."""
