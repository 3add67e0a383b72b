"""Reports › Webinars: figures per series and per session for organizers (their series)
and administrators (every series), with charts, breakdowns and spreadsheet exports."""
