"""The annual law exam: window, roster, one attempt and one make-up, results, certificates."""
