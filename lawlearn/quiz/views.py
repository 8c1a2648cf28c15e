"""The quiz staff pages on one blueprint: question banks and statistics (staff_views,
upload_views), mixed papers (mixed_views) and paper quizzes for a session (paper_views). The
participants' quiz is the `quiz_public` blueprint (public_views), registered on its own."""

from lawlearn.quiz import (  # noqa: F401
    mixed_views,
    paper_views,
    staff_views,
    upload_views,
)
from lawlearn.quiz.blueprint import bp

__all__ = ["bp"]
