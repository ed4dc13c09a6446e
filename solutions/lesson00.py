"""Solutions of 00_setup's exercises."""

SOLUTIONS = {
    "00.1": lambda: 64 * 3 * 32 * 32,  # = 196608, the in_features of lesson 05's Linear layer
}

WRONG = {
    "00.1": [3 * 32 * 32, 64],
}
