"""Quizzes (being built)."""

from flask import Blueprint

bp = Blueprint("quiz", __name__)
