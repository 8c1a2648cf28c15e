"""Study sessions and attendance (being built)."""

from flask import Blueprint

bp = Blueprint("sessions", __name__)
