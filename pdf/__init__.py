"""PDF work that is not reading text: building the PDF/A from page images and text layers (pikepdf), rendering pages
to images within time and size limits (pdfium), and finding and removing active content (JavaScript, launch
actions, embedded files) before a file is signed or served."""
