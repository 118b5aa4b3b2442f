"""OCR: preprocessing (OpenCV), Tesseract, and the searchable PDF/A it produces."""
