"""The Textual tutor. Imported only when the tutor runs: headless commands never load it."""
