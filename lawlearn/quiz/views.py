"""The quiz pages: participants' (public_views), question banks and statistics (staff_views,
upload_views) and paper quizzes for a session (paper_views), on one blueprint."""

from lawlearn.quiz import (  # noqa: F401
    mixed_views,
    paper_views,
    public_views,
    staff_views,
    upload_views,
)
from lawlearn.quiz.blueprint import bp

__all__ = ["bp"]
