"""What every report of the platform shares: the date-range filter read in the viewer's
zone, tables that export to CSV and XLSX (Wagtail's spreadsheet export, streamed and
formula-safe), server-rendered SVG charts with their data tables, and countries grouped
by region. The reports themselves live in their rooms (``webinars.reports``, ...)."""
