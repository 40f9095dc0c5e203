package art.atelier.catalog;

import java.time.Instant;
import java.util.Optional;

/**
 * A process that writes to the catalog, told apart from a later process that reuses its id by its start
 * time. Recorded in the write journal and in the names of temporary files, so that recovery can tell a
 * dead writer's leftovers from a live writer's work in progress.
 *
 * @param pid the process id
 * @param start its start, epoch milliseconds, or 0 when the operating system does not say
 */
record Writer(long pid, long start) {

    private static final Writer CURRENT = of(ProcessHandle.current());

    /** @return this process */
    static Writer current() {
        return CURRENT;
    }

    private static Writer of(ProcessHandle p) {
        return new Writer(p.pid(), startOf(p).orElse(0L));
    }

    private static Optional<Long> startOf(ProcessHandle p) {
        return p.info().startInstant().map(Instant::toEpochMilli);
    }

    /**
     * @return whether this process still runs: a process with its id runs and, when both start times are
     *     known, started when this one did (an id reused by a new process does not count)
     */
    boolean alive() {
        if (pid == ProcessHandle.current().pid()) {
            return start == 0 || CURRENT.start == 0 || start == CURRENT.start;
        }
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        if (p.isEmpty() || !p.get().isAlive()) {
            return false;
        }
        Optional<Long> s = startOf(p.get());
        return start == 0 || s.isEmpty() || s.get() == start;
    }

    /** @return "PID-START", as written in temporary file names */
    String tag() {
        return pid + "-" + start;
    }

    /**
     * @param tag a {@link #tag()}
     * @return the writer it names, or empty if it is not one
     */
    static Optional<Writer> parseTag(String tag) {
        int dash = tag.indexOf('-');
        if (dash <= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Writer(Long.parseLong(tag.substring(0, dash)), Long.parseLong(tag.substring(dash + 1))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
