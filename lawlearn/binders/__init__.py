"""Evidence binders (台账): one ZIP of a town's evidence for a period, built in the background."""
