"""Reading the PDF: bytes → positioned words and ruling lines, one backend per text layer."""
