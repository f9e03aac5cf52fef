"""决算看板 core: parse a 决算 report PDF into records, frames, checks, figures and files."""
