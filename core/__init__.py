"""决算看板 core: parse a 决算 report PDF into records, frames, checks, figures and files."""

#: Version of the reading rules. Raise it whenever a change to the parser can change what a
#: report reads as: the library re-reads every report stored by an older version from its
#: stored PDF (see :mod:`core.library`).
PARSER_VERSION = 6
