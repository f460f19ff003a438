"""Where the CPU went during a benchmark run: samples /proc every few seconds and adds up each process's CPU time
and the bytes it wrote to disk by part (each bin/cluster process group by its name in processes.tsv, PostgreSQL,
locust, kernel threads, any other process by its command name). A process that exits between two samples loses
at most one interval of its time.

    sampler = CpuShare(cluster_dir / "processes.tsv"); sampler.start(); ...; sampler.stop(); sampler.table()"""

import os
import threading
import time
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _processes():
    """{pid: (process group, command name, command line, CPU ticks used, bytes written, start time)} of every
    process now."""
    found = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
            command_line = Path(entry.path, "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            written = _written_bytes(entry.path)
        except OSError:  # gone while we looked
            continue
        name_end = stat.rindex(")")
        name = stat[stat.index("(") + 1 : name_end]
        fields = stat[name_end + 2 :].split()
        # After the name: state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
        # The start time tells a reused pid from the same process (a kernel worker's name changes with its work).
        started = int(fields[19])
        found[int(entry.name)] = (
            int(fields[2]),
            name,
            command_line,
            int(fields[11]) + int(fields[12]),
            written,
            started,
        )
    return found


def _written_bytes(folder):
    """Bytes the process had written to storage (0 where /proc does not tell us: another user's process)."""
    try:
        for line in Path(folder, "io").read_text().splitlines():
            if line.startswith("write_bytes:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class CpuShare:
    def __init__(self, processes_tsv, interval=2.0):
        self.processes_tsv = Path(processes_tsv)
        self.interval = interval
        self.seconds = {}
        self.written = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._previous = {}
        self.started = self.stopped = None

    def _groups(self):
        """{process group id: part name} from bin/cluster's processes.tsv (each process leads its own group)."""
        groups = {}
        try:
            for line in self.processes_tsv.read_text().splitlines():
                name, pid, _address = line.split("\t")
                groups[int(pid)] = name
        except (OSError, ValueError):
            pass
        return groups

    def _part(self, group, name, command_line, groups):
        if group in groups:
            return groups[group]
        if name.startswith("postgres"):
            return "postgresql"
        if group == 0:
            return "kernel threads (disk writeback, memory)"
        if "locust" in command_line:
            return "locust (the load generator)"
        return f"other: {name}"

    def _sample(self):
        now, groups = _processes(), self._groups()
        for pid, (group, name, command_line, ticks, written, started) in now.items():
            before = self._previous.get(pid)
            same = before and before[5] == started
            used = ticks - before[3] if same else (ticks if self.started else 0)
            wrote = written - before[4] if same else (written if self.started else 0)
            if self._previous and (used > 0 or wrote > 0):
                part = self._part(group, name, command_line, groups)
                self.seconds[part] = self.seconds.get(part, 0.0) + used / TICKS
                self.written[part] = self.written.get(part, 0) + wrote
        self._previous = now

    def _run(self):
        while not self._stop.wait(self.interval):
            self._sample()

    def start(self):
        self._sample()  # the baseline: time used before the run does not count
        self.started = time.monotonic()
        self._thread.start()

    def stop(self):
        self._stop.set()
        self._thread.join()
        self._sample()
        self.stopped = time.monotonic()

    def table(self):
        """Markdown: CPU seconds and share of the machine's cores per part, largest first."""
        elapsed = (self.stopped or time.monotonic()) - self.started
        capacity = elapsed * (os.cpu_count() or 1)
        lines = [
            f"| part | CPU seconds | share of {os.cpu_count()} cores over {elapsed:.0f} s | MB written to disk |",
            "| --- | ---: | ---: | ---: |",
        ]
        small = small_written = 0.0
        for part, seconds in sorted(self.seconds.items(), key=lambda item: -item[1]):
            written = self.written.get(part, 0) / 1e6
            if part.startswith("other: ") and seconds < 0.01 * elapsed and written < 1:
                small, small_written = small + seconds, small_written + written
                continue
            lines.append(f"| {part} | {seconds:.1f} | {seconds / capacity:.0%} | {written:.1f} |")
        lines.append(
            f"| other processes, each under 1 % of a core | {small:.1f} | {small / capacity:.0%} "
            f"| {small_written:.1f} |"
        )
        total, total_written = sum(self.seconds.values()), sum(self.written.values()) / 1e6
        lines.append(f"| all | {total:.1f} | {total / capacity:.0%} | {total_written:.1f} |")
        return "\n".join(lines)
