"""What the platform sends out, in a request or not: PDFs drawn from HTML, and absolute links
for emails, calendars and API responses. Tasks use these as well as views, so they sit below
the web layer (`partnership.web`)."""
