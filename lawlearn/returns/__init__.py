"""Monthly returns (月报): a town's account of each month, due by a day of that month."""
