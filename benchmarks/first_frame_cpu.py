"""Run a Textual program until its first frame holds MARKER; report the CPU seconds it took.

CPU time is far steadier than wall time on a shared machine. Used by startup.py:
    python benchmarks/first_frame_cpu.py MARKER -m bptui LESSON
    python benchmarks/first_frame_cpu.py MARKER path/to/app.py
"""

import os
import runpy
import sys
import time

marker, *target = sys.argv[1:]

from textual.drivers import linux_driver  # noqa: E402

write = linux_driver.LinuxDriver.write


def first_frame_write(self, data: str) -> None:
    write(self, data)
    if marker in data:
        with open(os.environ["FIRST_FRAME_REPORT"], "w") as report:
            report.write(f"{time.process_time()}\n")
        os._exit(0)


linux_driver.LinuxDriver.write = first_frame_write
if target[0] == "-m":
    sys.argv = [target[1], *target[2:]]
    runpy.run_module(target[1], run_name="__main__", alter_sys=True)
else:
    sys.argv = target
    runpy.run_path(target[0], run_name="__main__")
