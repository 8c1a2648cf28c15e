"""Quizzes: question banks (题库) with cited articles, the phone quiz, paper results and item
statistics. See quizzes/README.md for the bank format."""
