"""Recognised study units (学法示范户 / 示范班组 / 示范楼栋): nomination, town review, county
approval for a year, yearly renewal or revocation, the plaque and its public verification."""
