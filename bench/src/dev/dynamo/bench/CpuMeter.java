package dev.dynamo.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU seconds (user + system) that processes have used so far, read from {@code /proc/PID/stat}:
 * the two dynalite engines' and the benchmark's own (the ceiling's client runs inside it).
 * Differences of two readings show where a copy's CPU went on the shared cores.
 */
final class CpuMeter {
    /** Linux reports these times in clock ticks; USER_HZ is 100 on every architecture Linux runs Java on. */
    private static final double TICKS_PER_SECOND = 100.0;

    /** CPU seconds of the three processes at one instant. */
    record Reading(double bench, double source, double target) {
        Reading minus(Reading earlier) {
            return new Reading(bench - earlier.bench, source - earlier.source, target - earlier.target);
        }
    }

    private final long sourcePid;
    private final long targetPid;

    CpuMeter(long sourcePid, long targetPid) {
        this.sourcePid = sourcePid;
        this.targetPid = targetPid;
    }

    Reading read() {
        return new Reading(seconds(ProcessHandle.current().pid()), seconds(sourcePid), seconds(targetPid));
    }

    /** utime + stime of a process, in seconds; -1 where /proc cannot tell. */
    static double seconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            // The command name (field 2) is in parentheses and may hold spaces: count fields after its ')'.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields[0] is field 3 (state): utime is field 14, stime field 15.
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
