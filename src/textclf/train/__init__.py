"""Training: every fit of the validation scheme (in parallel processes), one fit at a time, live logs."""
