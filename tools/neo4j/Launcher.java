// Runs an embedded Neo4j Community DBMS with Bolt on 127.0.0.1, for reachgraph's local server.
//
// src/local-neo4j/launcher.ts compiles it once into a jar beside the jars tools/neo4j/pom.xml
// fetches, and src/local-neo4j/server.ts runs it as
//
//   java <flags> -Xms.. -Xmx.. -cp '<cacheDir>/neo4j-5.26.30/lib/*:<launcher jar>' Launcher \
//     --data-dir=DIR [--port=0] [--page-cache=512m] [--parent-pid=PID] [--ready-file=FILE]
//
// or, on a JDK without javac and jar, in Java's single-file source mode (`Launcher.java` in place of
// the jar and the class name). Java 17 or newer.
//
// Contract with server.ts:
// - once Bolt accepts connections it prints exactly one line to stdout:
//     reachgraph-neo4j ready bolt://127.0.0.1:PORT version=5.26.30 pid=PID
//   and, with --ready-file, atomically writes {"uri":...,"port":...,"version":...,"pid":...};
// - SIGTERM/SIGINT (and the parent process going away, with --parent-pid) shut the DBMS down cleanly;
// - startup failures go to stderr with a plain message and exit code 1 (2 for bad arguments).

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.config.Setting;
import org.neo4j.internal.helpers.HostnamePort;
import org.neo4j.kernel.internal.GraphDatabaseAPI;
import org.neo4j.kernel.internal.Version;

public final class Launcher {
  private static final String HOST = "127.0.0.1";
  private static final long STARTUP_WAIT_MS = 120_000;

  private static volatile DatabaseManagementService service;
  private static volatile Path readyFile;
  private static volatile boolean wroteReadyFile; // only ever delete our own ready file
  private static final CountDownLatch stopped = new CountDownLatch(1);

  public static void main(String[] argv) {
    Map<String, String> args;
    Path dataDir;
    int port;
    long pageCacheBytes;
    Long parentPid;
    try {
      args = parseArgs(argv);
      String dir = args.get("data-dir");
      if (dir == null || dir.isBlank()) throw new IllegalArgumentException("--data-dir is required");
      dataDir = Path.of(dir).toAbsolutePath().normalize();
      port = Integer.parseInt(args.getOrDefault("port", "0"));
      if (port < 0 || port > 65535) throw new IllegalArgumentException("--port must be 0..65535");
      pageCacheBytes = parseBytes(args.getOrDefault("page-cache", "512m"));
      parentPid = args.containsKey("parent-pid") ? Long.valueOf(args.get("parent-pid")) : null;
      readyFile = args.containsKey("ready-file") ? Path.of(args.get("ready-file")).toAbsolutePath() : null;
    } catch (RuntimeException e) {
      fail(2, "reachgraph-neo4j: bad arguments: " + e.getMessage()
          + "\nusage: java -cp 'lib/*' Launcher.java --data-dir=DIR [--port=0] [--page-cache=512m]"
          + " [--parent-pid=PID] [--ready-file=FILE]");
      return;
    }

    // Registered before build() so a SIGTERM during startup is still handled once the DBMS exists.
    Runtime.getRuntime().addShutdownHook(new Thread(Launcher::shutdown, "reachgraph-neo4j-shutdown"));

    if (parentPid != null) watchParent(parentPid);

    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      fail(1, "reachgraph-neo4j: cannot create data directory " + dataDir + ": " + e);
      return;
    }

    String version = Version.getNeo4jVersion();
    try {
      service = new DatabaseManagementServiceBuilder(dataDir).setConfig(settings(dataDir, port, pageCacheBytes))
          .build();
    } catch (Throwable e) {
      fail(1, startupFailureMessage(e, dataDir));
      return;
    }

    int boltPort;
    try {
      GraphDatabaseAPI db = (GraphDatabaseAPI) service.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
      if (!db.isAvailable(STARTUP_WAIT_MS)) {
        throw new IllegalStateException("database 'neo4j' did not become available within "
            + STARTUP_WAIT_MS / 1000 + " s (see " + dataDir.resolve("logs/debug.log") + ")");
      }
      boltPort = boltPort(db);
    } catch (Throwable e) {
      fail(1, startupFailureMessage(e, dataDir));
      return;
    }

    long pid = ProcessHandle.current().pid();
    String uri = "bolt://" + HOST + ":" + boltPort;
    try {
      if (readyFile != null) {
        writeReadyFile(readyFile, uri, boltPort, version, pid);
        wroteReadyFile = true;
      }
    } catch (IOException e) {
      fail(1, "reachgraph-neo4j: cannot write ready file " + readyFile + ": " + e);
      return;
    }
    System.out.println("reachgraph-neo4j ready " + uri + " version=" + version + " pid=" + pid);
    System.out.flush();

    // Embedded Neo4j keeps non-daemon threads; block here anyway so the intent is explicit.
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Map<Setting<?>, Object> settings(Path dataDir, int port, long pageCacheBytes) {
    Map<Setting<?>, Object> s = new HashMap<>();
    s.put(GraphDatabaseSettings.neo4j_home, dataDir);
    s.put(GraphDatabaseSettings.logs_directory, dataDir.resolve("logs"));
    s.put(GraphDatabaseSettings.auth_enabled, false);
    // The default page cache is sized from the machine's RAM (GBs); the caller chooses instead.
    s.put(GraphDatabaseSettings.pagecache_memory, pageCacheBytes);
    s.put(BoltConnector.enabled, true);
    s.put(BoltConnector.listen_address, new SocketAddress(HOST, port));
    s.put(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED);
    s.put(HttpConnector.enabled, false);
    s.put(HttpsConnector.enabled, false);
    // Bolt's Netty shutdown otherwise waits ~10 s for quiet; with these, shutdown() takes well under a second.
    s.put(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0);
    s.put(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(2));
    return s;
  }

  // Port 0 lets the OS pick; the actual port is only known from the register once Bolt is bound.
  private static int boltPort(GraphDatabaseAPI db) throws InterruptedException {
    ConnectorPortRegister ports = db.getDependencyResolver().resolveDependency(ConnectorPortRegister.class);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      HostnamePort address = ports.getLocalAddress(ConnectorType.BOLT);
      if (address != null && address.getPort() > 0) return address.getPort();
      Thread.sleep(50);
    }
    throw new IllegalStateException("Bolt connector did not report a listening port");
  }

  private static void watchParent(long parentPid) {
    Thread watcher = new Thread(() -> {
      while (true) {
        boolean alive = ProcessHandle.of(parentPid).map(ProcessHandle::isAlive).orElse(false);
        if (!alive) {
          System.err.println("reachgraph-neo4j: parent process " + parentPid + " is gone; shutting down");
          System.exit(0); // runs the shutdown hook
          return;
        }
        try {
          Thread.sleep(500);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "reachgraph-neo4j-parent-watch");
    watcher.setDaemon(true);
    watcher.start();
  }

  private static synchronized void shutdown() {
    DatabaseManagementService s = service;
    service = null;
    try {
      if (s != null) {
        long start = System.nanoTime();
        s.shutdown();
        System.err.println("reachgraph-neo4j: stopped in "
            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
      }
    } catch (Throwable e) {
      System.err.println("reachgraph-neo4j: error during shutdown: " + e);
    } finally {
      // A launcher that lost the store lock must not delete the running server's ready file.
      Path f = readyFile;
      if (f != null && wroteReadyFile) {
        try {
          Files.deleteIfExists(f);
        } catch (IOException ignored) {
          // best effort: readers also check that the pid is alive
        }
      }
      stopped.countDown();
    }
  }

  private static void writeReadyFile(Path file, String uri, int port, String version, long pid)
      throws IOException {
    String json = "{\"uri\":\"" + uri + "\",\"port\":" + port + ",\"version\":\"" + version + "\",\"pid\":" + pid
        + "}\n";
    Path parent = file.getParent();
    if (parent != null) Files.createDirectories(parent);
    Path tmp = file.resolveSibling(file.getFileName() + "." + pid + ".tmp");
    Files.writeString(tmp, json, StandardCharsets.UTF_8);
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static String startupFailureMessage(Throwable e, Path dataDir) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String name = t.getClass().getName();
      String msg = String.valueOf(t.getMessage());
      if (name.endsWith("FileLockException") || msg.contains("locked by another")) {
        return "reachgraph-neo4j: the store in " + dataDir + " is locked by another Neo4j process"
            + " (is a reachgraph server already running on this data directory? stop it first).\n  cause: "
            + t;
      }
      if (t instanceof java.net.BindException || msg.contains("Address already in use")) {
        return "reachgraph-neo4j: cannot bind Bolt on " + HOST + ": the port is already in use.\n  cause: " + t;
      }
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    return "reachgraph-neo4j: failed to start Neo4j in " + dataDir + ": " + e
        + (root != e ? "\n  root cause: " + root : "") + "\n  see " + dataDir.resolve("logs/debug.log");
  }

  private static void fail(int code, String message) {
    System.err.println(message);
    System.err.flush();
    System.exit(code);
  }

  private static Map<String, String> parseArgs(String[] argv) {
    Map<String, String> out = new HashMap<>();
    for (String a : argv) {
      if (!a.startsWith("--") || a.indexOf('=') < 3) throw new IllegalArgumentException("expected --key=value, got " + a);
      String key = a.substring(2, a.indexOf('='));
      switch (key) {
        case "data-dir", "port", "page-cache", "parent-pid", "ready-file" -> out.put(key, a.substring(a.indexOf('=') + 1));
        default -> throw new IllegalArgumentException("unknown option --" + key);
      }
    }
    return out;
  }

  // "512m", "1g", "65536k", "1048576" → bytes.
  private static long parseBytes(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    long unit = 1;
    char last = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
    switch (last) {
      case 'k' -> unit = 1L << 10;
      case 'm' -> unit = 1L << 20;
      case 'g' -> unit = 1L << 30;
      default -> unit = 1;
    }
    String digits = unit == 1 ? t : t.substring(0, t.length() - 1);
    try {
      long n = Long.parseLong(digits);
      if (n <= 0) throw new NumberFormatException();
      return n * unit;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--page-cache must look like 512m, 1g or a byte count, got " + text);
    }
  }
}
