"""Presentation: records → pandas frames → plotly figures → PNG/SVG and the briefing pack."""
