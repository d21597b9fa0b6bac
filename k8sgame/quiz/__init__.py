"""The quiz box: question banks from ``assets/quiz/``, questions the engine generates and
answers, grading of every question kind, and the study modes built on them."""
