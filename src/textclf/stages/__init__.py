"""One module per DVC stage (``python -m textclf.stages.<name>``): thin wiring of library calls."""

import sys

from textclf.errors import exit_quietly_on_ctrl_c

if sys.argv[:1] == ["-m"]:  # being run as `python -m textclf.stages.<name>` (not imported by a test or tool)
    exit_quietly_on_ctrl_c()  # Ctrl-C while the stage imports pandas, scikit-learn, ...: one line, no traceback
