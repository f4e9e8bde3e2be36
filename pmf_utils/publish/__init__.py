"""Publishing executed notebooks as the website and the PDF booklets, with Quarto or the
built-in engine."""
