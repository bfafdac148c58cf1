"""The source library: importing BibTeX and RIS, and what reads it."""
