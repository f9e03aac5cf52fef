"""Build of the optional C part: the PDFium text layer's per-glyph loop (core/pdf/_glyphs.c).

Everything else is in pyproject.toml. The extension is optional: where no C compiler is
found the install goes on and the text layer runs its Python loop (same glyphs, slower).
"""

import sys

from setuptools import Extension, setup

# a fused multiply-add rounds otherwise than Python's separate multiply and add: the C loop
# must give the Python loop's floats bit for bit
FLAGS = [] if sys.platform == "win32" else ["-O2", "-ffp-contract=off"]

setup(
    ext_modules=[
        Extension(
            "core.pdf._glyphs",
            ["core/pdf/_glyphs.c"],
            optional=True,
            extra_compile_args=FLAGS,
        )
    ]
)
